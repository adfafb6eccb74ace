import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// FerretDB 1.24 on SQLite reads and decodes whole collections for every filtered list, count and
// sort (22 s for a 20-row page of 100,000 documents). These patches make it use indexes; the
// reasons and the rules that keep results correct are in infra/ferretdb/firegov_pushdown.go and
// infra/README.md. Each text patch must match exactly once, so a FerretDB upgrade that changes
// a patched line fails the build loudly instead of silently dropping a patch.

interface TextPatch {
  file: string;
  from: string;
  to: string;
}

const SQLITE = path.join('internal', 'backends', 'sqlite');
const HANDLER = path.join('internal', 'handler');

const FERRETDB_PATCHES: TextPatch[] = [
  {
    // It looks documents up by `_ferretdb_sjson->'$._id'` while the unique `_id` index it creates is
    // on `_ferretdb_sjson->"_id"`; SQLite only uses an expression index for the same expression, so
    // every update scanned the collection. Same JSON path, same results.
    file: path.join(SQLITE, 'metadata', 'metadata.go'),
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + "->\\"_id\\""',
  },
  {
    // The backend learns the requested sort and limit (it applies them only when it can do so
    // exactly) and may answer a count pipeline with a count.
    file: path.join('internal', 'backends', 'collection.go'),
    from: 'type QueryParams struct {\n\tFilter *types.Document\n\tSort   *types.Document\n\tLimit  int64\n',
    to: 'type QueryParams struct {\n\tFilter *types.Document\n\tSort   *types.Document\n\tLimit  int64\n\n\tSortHint  *types.Document\n\tLimitHint int64\n\tCountOnly bool\n',
  },
  {
    file: path.join('internal', 'backends', 'collection.go'),
    from: 'type QueryResult struct {\n\tIter types.DocumentsIterator\n}',
    to: 'type QueryResult struct {\n\tIter types.DocumentsIterator\n\n\tSorted  bool\n\tCounted bool\n\tCount   int64\n}',
  },
  {
    // Query builds its SQL in firegov_pushdown.go instead of pushing down only a lone `_id`.
    file: path.join(SQLITE, 'collection.go'),
    from: `\tq := prepareSelectClause(meta.TableName, params.Comment, meta.Capped(), params.OnlyRecordIDs)

\tvar whereClause string
\tvar args []any

\t// that logic should exist in one place
\t// TODO https://github.com/FerretDB/FerretDB/issues/3235
\tif params.Filter.Len() == 1 {
\t\tv, _ := params.Filter.Get("_id")
\t\tswitch v.(type) {
\t\tcase string, types.ObjectID:
\t\t\twhereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
\t\t}
\t}

\tq += whereClause
\tq += prepareOrderByClause(params.Sort)

\tif params.Limit != 0 {
\t\tq += \` LIMIT ?\`
\t\targs = append(args, params.Limit)
\t}

\trows, err := db.QueryContext(ctx, q, args...)
\tif err != nil {
\t\treturn nil, lazyerrors.Error(err)
\t}

\treturn &backends.QueryResult{
\t\tIter: newQueryIterator(ctx, rows, params.OnlyRecordIDs),
\t}, nil
}`,
    to: `\tq := prepareSelectClause(meta.TableName, params.Comment, meta.Capped(), params.OnlyRecordIDs)

\tlimit := params.LimitHint
\tif params.Limit != 0 {
\t\tlimit = params.Limit
\t}

\tfq, err := fgRun(ctx, db, c.dbName, meta, q, params.Filter, params.SortHint, prepareOrderByClause(params.Sort), limit, params.CountOnly)
\tif err != nil {
\t\treturn nil, err
\t}

\tif fq.counted {
\t\treturn &backends.QueryResult{Iter: newQueryIterator(ctx, nil, params.OnlyRecordIDs), Counted: true, Count: fq.count}, nil
\t}

\treturn &backends.QueryResult{
\t\tIter:   newQueryIterator(ctx, fq.rows, params.OnlyRecordIDs),
\t\tSorted: fq.sorted,
\t}, nil
}`,
  },
  {
    // Writes of one database wait their turn in a Go mutex rather than in SQLite's busy handler.
    file: path.join(SQLITE, 'collection.go'),
    from: '\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n\t\tbatchSize := c.r.BatchSize\n',
    to: '\tdefer fgWriteLock(ctx, c.dbName, db)()\n\n\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n\t\tbatchSize := c.r.BatchSize\n',
  },
  {
    file: path.join(SQLITE, 'collection.go'),
    from: '\tq := fmt.Sprintf(`UPDATE %q SET %s = ? WHERE %s = ?`, meta.TableName, metadata.DefaultColumn, metadata.IDColumn)\n',
    to: '\tq := fmt.Sprintf(`UPDATE %q SET %s = ? WHERE %s = ?`, meta.TableName, metadata.DefaultColumn, metadata.IDColumn)\n\tdefer fgWriteLock(ctx, c.dbName, db)()\n',
  },
  {
    file: path.join(SQLITE, 'collection.go'),
    from: '\tq := fmt.Sprintf(`DELETE FROM %q WHERE %s IN (%s)`, meta.TableName, column, strings.Join(placeholders, ", "))\n\n\tres, err := db.ExecContext(ctx, q, args...)\n',
    to: '\tq := fmt.Sprintf(`DELETE FROM %q WHERE %s IN (%s)`, meta.TableName, column, strings.Join(placeholders, ", "))\n\n\tres, err := fgExecLocked(ctx, db, c.dbName, q, args...)\n',
  },
  {
    // A drop waits for the WAL checkpointer (firegov_checkpoint.go) to let go of the database:
    // SQLite leaves the log file behind when a connection outlives the removed database file.
    file: path.join(SQLITE, 'metadata', 'pool', 'pool.go'),
    from: '\t"github.com/FerretDB/FerretDB/internal/util/fsql"\n',
    to: '\t"github.com/FerretDB/FerretDB/internal/util/fglock"\n\t"github.com/FerretDB/FerretDB/internal/util/fsql"\n',
  },
  {
    file: path.join(SQLITE, 'metadata', 'pool', 'pool.go'),
    from: '\tif err := db.Close(); err != nil {\n\t\tp.l.WarnContext(ctx, "Failed to close database connection", slog.String("name", name), logging.Error(err))\n',
    to: '\tdefer fglock.Closing(name)()\n\n\tif err := db.Close(); err != nil {\n\t\tp.l.WarnContext(ctx, "Failed to close database connection", slog.String("name", name), logging.Error(err))\n',
  },
  {
    // Each read-modify-write command holds its database's write lock throughout (fglock).
    file: path.join(HANDLER, 'msg_update.go'),
    from: '\tvar matched, modified int32\n\tvar upserted types.Array\n',
    to: '\tvar matched, modified int32\n\tvar upserted types.Array\n\n\tctx, fgUnlock := fgHold(ctx, params.DB)\n\tdefer fgUnlock()\n',
  },
  {
    file: path.join(HANDLER, 'msg_findandmodify.go'),
    from: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n',
    to: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n\tctx, fgUnlock := fgHold(ctx, params.DB)\n\tdefer fgUnlock()\n\n',
  },
  {
    file: path.join(HANDLER, 'msg_delete.go'),
    from: '\t\td, err = h.execDelete(connCtx, c, &p)\n',
    to: '\t\td, err = fgDelete(connCtx, params.DB, func(ctx context.Context) (int32, error) { return h.execDelete(ctx, c, &p) })\n',
  },
  {
    // A database file without its metadata table (FerretDB died between creating the file and the
    // table; modernc's SQLite can die with SIGBUS under load) opens as an empty database instead
    // of keeping FerretDB from starting at all ("no such table: _ferretdb_collections").
    file: path.join(SQLITE, 'metadata', 'registry.go'),
    from: 'func (r *Registry) initCollections(ctx context.Context, dbName string, db *fsql.DB) error {\n',
    to:
      'func (r *Registry) initCollections(ctx context.Context, dbName string, db *fsql.DB) error {\n' +
      '\tif _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %q ("+\n' +
      "\t\t\"name TEXT NOT NULL UNIQUE CHECK(name != ''), table_name TEXT NOT NULL UNIQUE CHECK(table_name != ''), \"+\n" +
      '\t\t"settings TEXT NOT NULL CHECK(settings != \'\')) STRICT", metadataTableName)); err != nil {\n' +
      '\t\treturn lazyerrors.Error(err)\n' +
      '\t}\n\n',
  },
  {
    // find passes its sort and limit as hints; the limit only when no dotted key was stripped from
    // the pushed filter (the backend would otherwise apply it to a superset).
    file: path.join(HANDLER, 'msg_find.go'),
    from: '\tif !h.DisablePushdown && params.Filter.Len() == 0 && params.Sort.Len() == 0 && params.Skip == 0 {\n\t\tqp.Limit = params.Limit\n\t}\n',
    to: '\tif !h.DisablePushdown && params.Filter.Len() == 0 && params.Sort.Len() == 0 && params.Skip == 0 {\n\t\tqp.Limit = params.Limit\n\t}\n\n\tif !h.DisablePushdown {\n\t\tqp.SortHint = params.Sort\n\t\tif params.Skip == 0 && params.Limit > 0 && qp.Filter.Len() == params.Filter.Len() {\n\t\t\tqp.LimitHint = params.Limit\n\t\t}\n\t}\n',
  },
  {
    // Rows the backend already returned in the requested order are not sorted again in memory,
    // so a limit stops reading after its last row instead of after the last matching one.
    file: path.join(HANDLER, 'msg_find.go'),
    from: '\titer, err := h.makeFindIter(queryRes.Iter, closer, params)\n',
    to: '\titerParams := params\n\tif queryRes.Sorted && params.Sort.Len() > 0 {\n\t\tunsorted := *params\n\t\tunsorted.Sort = nil\n\t\titerParams = &unsorted\n\t}\n\n\titer, err := h.makeFindIter(queryRes.Iter, closer, iterParams)\n',
  },
  {
    file: path.join(HANDLER, 'msg_aggregate.go'),
    from: '\t\titer, err = processStagesDocuments(ctx, closer, &stagesDocumentsParams{c, qp, stagesDocuments})\n',
    to: '\t\titer, err = fgProcessStagesDocuments(ctx, closer, &stagesDocumentsParams{c, qp, stagesDocuments}, aggregationStages, filter)\n',
  },
];

/** Our own Go files, added to FerretDB's packages (infra/ferretdb/). */
const FERRETDB_FILES = [
  { from: 'firegov_pushdown.go', to: path.join(SQLITE, 'firegov_pushdown.go') },
  { from: 'firegov_checkpoint.go', to: path.join(SQLITE, 'firegov_checkpoint.go') },
  { from: 'firegov_count.go', to: path.join(HANDLER, 'firegov_count.go') },
  { from: path.join('fglock', 'fglock.go'), to: path.join('internal', 'util', 'fglock', 'fglock.go') },
];

/**
 * The SQLite driver FerretDB is built with (modernc.org/sqlite, the version FerretDB's go.mod
 * names) prepares every statement on every Exec, compiling the table's triggers into each write;
 * infra/ferretdb/modernc-sqlite/firegov_stmtcache.go keeps a connection's statements instead.
 */
export const SQLITE_DRIVER_MODULE = 'modernc.org/sqlite';

const SQLITE_DRIVER_PATCHES: TextPatch[] = [
  {
    file: 'sqlite.go',
    from: '\twriteTimeFormat string\n\tbeginMode       string\n}\n',
    to: '\twriteTimeFormat string\n\tbeginMode       string\n\n\tfgCache fgStmtCache\n}\n',
  },
  {
    file: 'sqlite.go',
    from: 'func (c *conn) exec(ctx context.Context, query string, args []driver.NamedValue) (r driver.Result, err error) {\n\ts, err := c.prepare(ctx, query)\n',
    to: 'func (c *conn) exec(ctx context.Context, query string, args []driver.NamedValue) (r driver.Result, err error) {\n\tif r, err, ok := c.fgExecCached(ctx, query, args); ok {\n\t\treturn r, err\n\t}\n\n\ts, err := c.prepare(ctx, query)\n',
  },
  {
    // Kept statements are finalized before the connection closes (sqlite3_close_v2 would otherwise
    // leave it open as a zombie until they are).
    file: 'sqlite.go',
    from: '\tif c.db != 0 {\n\t\tif err := c.closeV2(c.db); err != nil {',
    to: '\tif c.db != 0 {\n\t\tc.fgFinalizeAll()\n\t\tif err := c.closeV2(c.db); err != nil {',
  },
];

const SQLITE_DRIVER_FILES = [{ from: path.join('modernc-sqlite', 'firegov_stmtcache.go'), to: 'firegov_stmtcache.go' }];

const OWN_FILES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'ferretdb');

/** Changes whenever a patch or an added file changes, so the cached binary is rebuilt. */
export const FERRETDB_PATCH_TAG = (() => {
  const hash = createHash('sha256');
  for (const p of [...FERRETDB_PATCHES, ...SQLITE_DRIVER_PATCHES]) hash.update(`${p.file}\0${p.from}\0${p.to}\0`);
  for (const f of [...FERRETDB_FILES, ...SQLITE_DRIVER_FILES]) hash.update(fs.readFileSync(path.join(OWN_FILES_DIR, f.from)));
  return `fg-${hash.digest('hex').slice(0, 10)}`;
})();

function applyPatches(what: string, src: string, patches: TextPatch[], files: Array<{ from: string; to: string }>): void {
  for (const patch of patches) {
    const target = path.join(src, patch.file);
    const source = fs.readFileSync(target, 'utf8');
    if (source.split(patch.from).length !== 2)
      throw new Error(`${what}: cannot apply a patch to ${patch.file}; the source changed`);
    fs.writeFileSync(target, source.replace(patch.from, patch.to));
  }
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(src, f.to)), { recursive: true });
    fs.copyFileSync(path.join(OWN_FILES_DIR, f.from), path.join(src, f.to));
  }
}

/** Applies every patch to the FerretDB source tree at `src`; throws naming the file when one no longer applies. */
export function applyFerretDbPatches(src: string): void {
  applyPatches('ferretdb', src, FERRETDB_PATCHES, FERRETDB_FILES);
}

/** Applies the statement cache to a writable copy of the SQLite driver module at `src`. */
export function applySqliteDriverPatches(src: string): void {
  applyPatches(SQLITE_DRIVER_MODULE, src, SQLITE_DRIVER_PATCHES, SQLITE_DRIVER_FILES);
}
