// Part of firegov (Apache-2.0), not of FerretDB: infra/src/ferretdb-patches.ts copies this file into
// FerretDB 1.24's SQLite backend before building it, and hooks it into Query with small patches.
//
// Why: FerretDB 1.24 on SQLite pushes no filter but `_id` equality down to SQL, so every list,
// count and search read and decoded whole collections (22 s for a 20-row page of 100,000 units).
// Its expression indexes cannot help: an equality on an array field (every scope filter here) must
// match any element, which an index on the whole JSON value cannot answer.
//
// What: for each collection, a side table `_ferretdb_kv_<table>(k, c, v, rid)` holds one row per
// scalar value of every top-level field that some index of the collection names (one row per
// element for arrays), kept by triggers on the collection's table, so any write path maintains it.
// Equality, $in and string ranges on those fields, `_id` comparisons, `$and`, and literal
// `$regex` become SQL predicates; the query is driven from the most selective predicate; an `_id`
// sort runs in SQL (an index on `_id`'s text) and tells the handler the rows are already ordered,
// so a limit stops reading early; an exactly pushed filter is counted in SQL.
//
// Correctness rests on one rule: the SQL predicates select a superset of the matching documents,
// and the handler still applies the whole filter to every row it reads. Counts are pushed only
// when every condition was translated exactly. Known gaps, documented in infra/README.md: strings
// and ObjectIDs share a class (a string equal to an ObjectID's hex in the same field would be
// counted), and an `_id` sort orders strings and ObjectIDs as text.

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fglock"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

const (
	fgKVPrefix = "_ferretdb_kv_"
	fgKVMeta   = "_ferretdb_kvmeta"
	fgLayout   = "kv6" // change when the side table's shape changes: every table is rebuilt
)

var (
	fgMu    sync.Mutex
	fgReady = map[string]string{} // dbName/table -> uuid|fields the side table was built for
)

func fgKV(table string) string { return fgKVPrefix + table }

func fgKVStats(table string) string { return fgKVPrefix + table + "_n" }

func fgIDIndex(table string) string { return fgKVPrefix + table + "_id" }

// fgSafeField keeps field names to ones that need no quoting inside a JSON path or SQL literal.
func fgSafeField(f string) bool {
	if f == "" || f == "_id" {
		return false
	}
	for _, r := range f {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// fgSafePath accepts `a.b` (one level down, as `risk.grade`), never an array position like `a.0`.
func fgSafePath(f string) bool {
	parts := strings.Split(f, ".")
	if len(parts) != 2 {
		return false
	}
	for _, p := range parts {
		if !fgSafeField(p) || strings.Trim(p, "0123456789") == "" {
			return false
		}
	}
	return true
}

// fgFields lists the top-level fields some index of the collection names, sorted.
func fgFields(meta *metadata.Collection) []string {
	set := map[string]struct{}{}
	for _, idx := range meta.Settings.Indexes {
		for _, k := range idx.Key {
			if fgSafeField(k.Field) || fgSafePath(k.Field) {
				set[k.Field] = struct{}{}
			}
		}
	}
	res := make([]string, 0, len(set))
	for f := range set {
		res = append(res, f)
	}
	sort.Strings(res)
	return res
}

// fgValuesSelect selects (k, c, v, id, rid) for one indexed field of the document in column
// `doc`: every scalar, or every scalar element of an array. Objects are skipped: an equality on a
// field never matches inside one. For `a.b` it follows MongoDB through an array of documents in
// `a` too, so the rows cover every document the path can match.
func fgValuesSelect(field, src, doc, rid string) string {
	cols := fmt.Sprintf(`je.type AS type, je.atom AS atom, %s->>'$._id' AS id, %s AS rid`, doc, rid)
	var values string
	if a, b, dotted := strings.Cut(field, "."); dotted {
		pa, pab, pb := fmt.Sprintf(`'$."%s"'`, a), fmt.Sprintf(`'$."%s"."%s"'`, a, b), fmt.Sprintf(`'$."%s"'`, b)
		values = fmt.Sprintf(
			`SELECT %[5]s FROM %[6]sjson_each(%[1]s, %[3]s) AS je `+
				`WHERE json_type(%[1]s, %[2]s) = 'object' AND json_type(%[1]s, %[3]s) <> 'object' `+
				`UNION ALL SELECT %[5]s FROM %[6]sjson_each(%[1]s, %[2]s) AS el, json_each(el.value, %[4]s) AS je `+
				`WHERE json_type(%[1]s, %[2]s) = 'array' AND el.type = 'object' AND json_type(el.value, %[4]s) <> 'object'`,
			doc, pa, pab, pb, cols, src,
		)
	} else {
		path := fmt.Sprintf(`'$."%s"'`, field)
		values = fmt.Sprintf(
			`SELECT %[3]s FROM %[4]sjson_each(%[1]s, %[2]s) AS je WHERE json_type(%[1]s, %[2]s) <> 'object'`,
			doc, path, cols, src,
		)
	}
	return fmt.Sprintf(
		`SELECT DISTINCT '%[1]s', CASE x.type WHEN 'text' THEN 's' WHEN 'true' THEN 'b' WHEN 'false' THEN 'b' ELSE 'n' END, `+
			`CASE x.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE x.atom END, x.id, x.rid `+
			`FROM (%[2]s) AS x WHERE x.type IN ('text', 'integer', 'real', 'true', 'false')`,
		field, values,
	)
}

// fgEnsure builds (or rebuilds, when the indexed fields changed) the side table and its triggers.
func fgEnsure(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection) ([]string, error) {
	fields := fgFields(meta)
	want := fgLayout + "|" + meta.Settings.UUID + "|" + strings.Join(fields, ",")
	key := dbName + "/" + meta.TableName

	fgMu.Lock()
	ready := fgReady[key] == want
	fgMu.Unlock()
	if ready {
		return fields, nil
	}

	// Lock order: the database's write lock, then fgMu (an update holding the write lock may
	// reach this function from its query).
	ctx, unlockWrite := fglock.Hold(ctx, dbName)
	defer unlockWrite()
	fgMu.Lock()
	defer fgMu.Unlock()

	if fgReady[key] == want {
		return fields, nil
	}

	t, kv := meta.TableName, fgKV(meta.TableName)

	if _, err := db.ExecContext(ctx, fmt.Sprintf(
		`CREATE TABLE IF NOT EXISTS %q (table_name TEXT PRIMARY KEY, built TEXT NOT NULL)`, fgKVMeta,
	)); err != nil {
		return nil, lazyerrors.Error(err)
	}

	var built string
	_ = db.QueryRowContext(ctx, fmt.Sprintf(`SELECT built FROM %q WHERE table_name = ?`, fgKVMeta), t).Scan(&built)
	if built == want {
		fgReady[key] = want
		return fields, nil
	}

	start := time.Now()
	err := db.InTransaction(ctx, func(tx *fsql.Tx) error {
		stmts := []string{
			fmt.Sprintf(`DROP TRIGGER IF EXISTS %q`, kv+"_ai"),
			fmt.Sprintf(`DROP TRIGGER IF EXISTS %q`, kv+"_au"),
			fmt.Sprintf(`DROP TRIGGER IF EXISTS %q`, kv+"_ad"),
			fmt.Sprintf(`DROP TABLE IF EXISTS %q`, kv),
			// id is the document's _id as SQL text, so a term's index entries come in _id order.
			fmt.Sprintf(`CREATE TABLE %q (k TEXT NOT NULL, c TEXT NOT NULL, v NOT NULL, id, rid INTEGER NOT NULL)`, kv),
			fmt.Sprintf(`CREATE INDEX %q ON %q (k, c, v, id, rid)`, kv+"_kcv", kv),
			fmt.Sprintf(`CREATE INDEX %q ON %q (rid)`, kv+"_rid", kv),
			// How many rows each (field, value) has, kept by triggers on the side table: the planner
			// drives a query from its rarest term by a lookup instead of by counting index entries.
			fmt.Sprintf(`DROP TABLE IF EXISTS %q`, fgKVStats(t)),
			fmt.Sprintf(`CREATE TABLE %q (k TEXT NOT NULL, c TEXT NOT NULL, v NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (k, c, v))`, fgKVStats(t)),
			fmt.Sprintf(`CREATE TRIGGER %q AFTER INSERT ON %q BEGIN INSERT INTO %q (k, c, v, n) VALUES (NEW.k, NEW.c, NEW.v, 1) `+
				`ON CONFLICT (k, c, v) DO UPDATE SET n = n + 1; END`, fgKVStats(t)+"_ai", kv, fgKVStats(t)),
			fmt.Sprintf(`CREATE TRIGGER %q AFTER DELETE ON %q BEGIN UPDATE %q SET n = n - 1 WHERE k = OLD.k AND c = OLD.c AND v = OLD.v; END`,
				fgKVStats(t)+"_ad", kv, fgKVStats(t)),
			fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s->>'$._id')`, fgIDIndex(t), t, metadata.DefaultColumn),
		}

		if len(fields) > 0 {
			// One statement per trigger step: SQLite keeps a parsed copy of a JSON value for the
			// statement, so each document is parsed once per step, not once per field.
			var onNew, gone, onChange, rebuild []string
			for _, f := range fields {
				onNew = append(onNew, fmt.Sprintf(`SELECT * FROM (%s)`,
					fgValuesSelect(f, "", "NEW."+metadata.DefaultColumn, "NEW.rowid")))
				// Most updates leave most indexed fields alone (an outbox relay changes one flag):
				// only the rows of a field whose value changed are rewritten. `_id` never changes.
				top, _, _ := strings.Cut(f, ".")
				changed := fmt.Sprintf(`OLD.%[1]s->'$."%[2]s"' IS NOT NEW.%[1]s->'$."%[2]s"'`, metadata.DefaultColumn, top)
				gone = append(gone, fmt.Sprintf(`(k = '%s' AND %s)`, f, changed))
				onChange = append(onChange, fmt.Sprintf(`SELECT * FROM (%s) WHERE %s`,
					fgValuesSelect(f, "", "NEW."+metadata.DefaultColumn, "NEW.rowid"), changed))
				rebuild = append(rebuild, fmt.Sprintf(`INSERT INTO %q (k, c, v, id, rid) %s`, kv,
					fgValuesSelect(f, fmt.Sprintf(`%q AS t, `, t), "t."+metadata.DefaultColumn, "t.rowid")))
			}
			stmts = append(stmts,
				fmt.Sprintf(`CREATE TRIGGER %q AFTER INSERT ON %q BEGIN INSERT INTO %q (k, c, v, id, rid) %s; END`,
					kv+"_ai", t, kv, strings.Join(onNew, " UNION ALL ")),
				fmt.Sprintf(`CREATE TRIGGER %q AFTER UPDATE ON %q BEGIN DELETE FROM %q WHERE rid = OLD.rowid AND (%s); `+
					`INSERT INTO %q (k, c, v, id, rid) %s; END`,
					kv+"_au", t, kv, strings.Join(gone, " OR "), kv, strings.Join(onChange, " UNION ALL ")),
				fmt.Sprintf(`CREATE TRIGGER %q AFTER DELETE ON %q BEGIN DELETE FROM %q WHERE rid = OLD.rowid; END`,
					kv+"_ad", t, kv),
			)
			stmts = append(stmts, rebuild...)
		}

		stmts = append(stmts, fmt.Sprintf(`INSERT OR REPLACE INTO %q (table_name, built) VALUES ('%s', '%s')`,
			fgKVMeta, strings.ReplaceAll(t, "'", "''"), strings.ReplaceAll(want, "'", "''")))

		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return lazyerrors.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	if d := time.Since(start); d > time.Second {
		fmt.Printf("firegov pushdown: built the value index of %s.%s in %s\n", dbName, t, d)
	}

	fgReady[key] = want
	return fields, nil
}

// fgScalar maps a filter value to its side-table class and SQL value; exact says the class
// matches the BSON type bracket (numbers and dates share class 'n').
func fgScalar(v any) (class string, value any, exact, ok bool) {
	switch v := v.(type) {
	case string:
		return "s", v, true, true
	case types.ObjectID:
		return "s", fmt.Sprintf("%x", v[:]), true, true
	case bool:
		if v {
			return "b", 1, true, true
		}
		return "b", 0, true, true
	case int32:
		return "n", int64(v), false, true
	case int64:
		return "n", v, false, true
	case float64:
		return "n", v, false, true
	case time.Time:
		return "n", v.UnixMilli(), false, true
	default:
		return "", nil, false, false
	}
}

// fgTerm is one side-table predicate: `k = field AND c = class AND v <op> ...`.
type fgTerm struct {
	sql  string // over the side table's bare columns
	args []any
	eq   bool // a single value: its index entries come in _id order
}

type fgPlan struct {
	kv     []fgTerm // side-table predicates, each a superset of its condition
	where  []string // predicates on the collection's table (alias t)
	args   []any
	idOps  []string // _id bounds, repeated on the side table's id column so a walk can seek
	idArgs []any
	exact  bool
	fields map[string]bool
}

func (p *fgPlan) addKV(eq bool, field, cond string, args ...any) {
	p.kv = append(p.kv, fgTerm{sql: "k = ? AND " + cond, args: append([]any{field}, args...), eq: eq})
}

func (p *fgPlan) addFilter(filter *types.Document) {
	for _, key := range filter.Keys() {
		v, _ := filter.Get(key)
		switch {
		case key == "$and":
			arr, ok := v.(*types.Array)
			if !ok {
				p.exact = false
				continue
			}
			for i := 0; i < arr.Len(); i++ {
				sub, _ := arr.Get(i)
				if d, ok := sub.(*types.Document); ok {
					p.addFilter(d)
				} else {
					p.exact = false
				}
			}
		case key == "_id":
			p.addID(v)
		case p.fields[key]:
			p.addField(key, v)
		case fgSafeField(key):
			if !p.addRegex(key, v) {
				p.exact = false
			}
		default:
			p.exact = false
		}
	}
}

// fgOps returns the operator document of a condition, or nil for a plain value.
func fgOps(v any) *types.Document {
	d, ok := v.(*types.Document)
	if !ok || d.Len() == 0 {
		return nil
	}
	for _, k := range d.Keys() {
		if !strings.HasPrefix(k, "$") {
			return nil
		}
	}
	return d
}

var fgRange = map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

func (p *fgPlan) addField(field string, v any) {
	ops := fgOps(v)
	if ops == nil {
		ops = types.MakeDocument(1)
		ops.Set("$eq", v)
	}
	for _, op := range ops.Keys() {
		arg, _ := ops.Get(op)
		switch {
		case op == "$eq":
			p.addEq(field, arg)
		case op == "$in":
			arr, ok := arg.(*types.Array)
			if !ok || arr.Len() == 0 {
				p.exact = false
				continue
			}
			var class string
			var values []any
			usable := true
			for i := 0; i < arr.Len() && usable; i++ {
				e, _ := arr.Get(i)
				c, value, exact, ok := fgScalar(e)
				if !ok || (class != "" && c != class) {
					usable = false
					break
				}
				class = c
				p.exact = p.exact && exact
				values = append(values, value)
			}
			if !usable {
				p.exact = false
				continue
			}
			p.addKV(false, field, "c = ? AND v IN (?"+strings.Repeat(", ?", len(values)-1)+")", append([]any{class}, values...)...)
		case op == "$all":
			// Every listed value must be present: one single-value term each.
			arr, ok := arg.(*types.Array)
			if !ok || arr.Len() == 0 {
				p.exact = false
				continue
			}
			for i := 0; i < arr.Len(); i++ {
				e, _ := arr.Get(i)
				p.addEq(field, e)
			}
		case fgRange[op] != "":
			class, value, exact, ok := fgScalar(arg)
			if !ok || class == "b" {
				p.exact = false
				continue
			}
			p.exact = p.exact && exact
			p.addKV(false, field, "c = ? AND v "+fgRange[op]+" ?", class, value)
		case op == "$regex":
			if !p.addRegex(field, ops) {
				p.exact = false
			}
			p.exact = false
		case op == "$options":
			// read with $regex
		default:
			p.exact = false
		}
	}
}

// addEq adds a single-value term for `field = v`, or marks the plan inexact when v has no class.
func (p *fgPlan) addEq(field string, v any) {
	class, value, exact, ok := fgScalar(v)
	if !ok {
		p.exact = false
		return
	}
	p.exact = p.exact && exact
	p.addKV(true, field, "c = ? AND v = ?", class, value)
}

func (p *fgPlan) addID(v any) {
	ops := fgOps(v)
	if ops == nil {
		switch v.(type) {
		case string, types.ObjectID:
			p.where = append(p.where, fmt.Sprintf(`t.%s = ?`, metadata.IDColumn))
			p.args = append(p.args, string(fgMust(sjson.MarshalSingleValue(v))))
		default:
			p.exact = false
		}
		return
	}
	for _, op := range ops.Keys() {
		arg, _ := ops.Get(op)
		switch {
		case op == "$eq":
			p.addID(arg)
		case op == "$in":
			arr, ok := arg.(*types.Array)
			if !ok || arr.Len() == 0 {
				p.exact = false
				continue
			}
			var values []any
			for i := 0; i < arr.Len(); i++ {
				e, _ := arr.Get(i)
				switch e.(type) {
				case string, types.ObjectID:
					values = append(values, string(fgMust(sjson.MarshalSingleValue(e))))
				}
			}
			if len(values) != arr.Len() {
				p.exact = false
				continue
			}
			p.where = append(p.where, fmt.Sprintf(`t.%s IN (?%s)`, metadata.IDColumn, strings.Repeat(", ?", len(values)-1)))
			p.args = append(p.args, values...)
		case fgRange[op] != "":
			s, ok := arg.(string)
			if !ok {
				p.exact = false
				continue
			}
			// Strings sort after numbers in both MongoDB and SQLite, so a string bound is exact.
			p.where = append(p.where, fmt.Sprintf(`t.%s->>'$._id' %s ?`, metadata.DefaultColumn, fgRange[op]))
			p.args = append(p.args, s)
			p.idOps = append(p.idOps, fgRange[op])
			p.idArgs = append(p.idArgs, s)
		default:
			p.exact = false
		}
	}
}

// addRegex pushes a literal pattern (what an escaped user search becomes) as a substring test.
// It stays a superset: arrays pass through to the handler, and case-insensitive patterns are
// pushed only when their letters are ASCII, which SQLite's lower() folds like MongoDB does.
func (p *fgPlan) addRegex(field string, v any) bool {
	var pattern, options string
	switch v := v.(type) {
	case types.Regex:
		pattern, options = v.Pattern, v.Options
	case *types.Document:
		if v.Len() == 0 || !v.Has("$regex") {
			return false
		}
		for _, k := range v.Keys() {
			if k != "$regex" && k != "$options" {
				return false
			}
		}
		switch r := fgMust(v.Get("$regex")).(type) {
		case string:
			pattern = r
		case types.Regex:
			pattern, options = r.Pattern, r.Options
		default:
			return false
		}
		if o, err := v.Get("$options"); err == nil {
			s, ok := o.(string)
			if !ok {
				return false
			}
			options += s
		}
	default:
		return false
	}
	fold := false
	for _, o := range options {
		switch o {
		case 'i':
			fold = true
		case 's', 'm':
		default:
			return false
		}
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return false
	}
	re = re.Simplify()
	if re.Op != syntax.OpLiteral || re.Flags&syntax.FoldCase != 0 {
		return false
	}
	literal := string(re.Rune)
	if literal == "" {
		return false
	}
	if fold {
		for _, r := range literal {
			if r > unicode.MaxASCII && unicode.SimpleFold(r) != r {
				return false
			}
		}
	}
	path := fmt.Sprintf(`'$."%s"'`, field)
	value := fmt.Sprintf(`t.%s->>%s`, metadata.DefaultColumn, path)
	needle := "?"
	if fold {
		value, needle = "lower("+value+")", "lower(?)"
	}
	p.where = append(p.where, fmt.Sprintf(`(CASE json_type(t.%[1]s, %[2]s) WHEN 'text' THEN instr(%[3]s, %[4]s) > 0 WHEN 'array' THEN 1 ELSE 0 END)`,
		metadata.DefaultColumn, path, value, needle))
	p.args = append(p.args, literal)
	return true
}

func fgMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fgSortByID reports whether sort is {_id: 1} or {_id: -1}, and the SQL direction.
func fgSortByID(sort *types.Document) (string, bool) {
	if sort.Len() != 1 || sort.Keys()[0] != "_id" {
		return "", false
	}
	var dir float64
	switch v := fgMust(sort.Get("_id")).(type) {
	case int64:
		dir = float64(v)
	case int32:
		dir = float64(v)
	case float64:
		dir = v
	}
	switch dir {
	case 1:
		return "", true
	case -1:
		return " DESC", true
	default:
		return "", false
	}
}

// fgPickDriver returns the side-table term to drive the query from: the one with fewest rows (from
// the statistics table), preferring a single-value term when the rows must come in _id order,
// and that term's row count.
func fgPickDriver(ctx context.Context, db *fsql.DB, kv string, terms []fgTerm, wantOrder bool) (int, int, error) {
	best, bestN := -1, -1
	for i, term := range terms {
		if wantOrder && !term.eq && slicesContainsEq(terms) {
			continue
		}
		var n int
		q := fmt.Sprintf(`SELECT coalesce(sum(n), 0) FROM %q WHERE %s`, kv+"_n", term.sql)
		if err := db.QueryRowContext(ctx, q, term.args...).Scan(&n); err != nil {
			return 0, 0, lazyerrors.Error(err)
		}
		if best < 0 || n < bestN {
			best, bestN = i, n
		}
		if n == 0 {
			break
		}
	}
	return best, bestN, nil
}

func slicesContainsEq(terms []fgTerm) bool {
	for _, t := range terms {
		if t.eq {
			return true
		}
	}
	return false
}

// fgQuery is what Query runs: rows (or a count) and whether the rows come in the requested sort order.
type fgQuery struct {
	rows    *fsql.Rows
	sorted  bool
	counted bool
	count   int64
}

func fgQualify(alias, sql string) string {
	r := strings.NewReplacer("k = ", alias+".k = ", "c = ", alias+".c = ", "v ", alias+".v ")
	return r.Replace(sql)
}

func fgRun(ctx context.Context, db *fsql.DB, dbName string, meta *metadata.Collection, selectClause string,
	filter, sortDoc *types.Document, natural string, limit int64, countOnly bool,
) (*fgQuery, error) {
	fields, err := fgEnsure(ctx, db, dbName, meta)
	if err != nil {
		return nil, err
	}

	plan := &fgPlan{exact: true, fields: map[string]bool{}}
	for _, f := range fields {
		plan.fields[f] = true
	}
	if filter != nil {
		plan.addFilter(filter)
	}

	t, kv := meta.TableName, fgKV(meta.TableName)
	res := new(fgQuery)
	count := countOnly && plan.exact
	dir, byID := fgSortByID(sortDoc)
	byID = byID && natural == ""

	driver, driverN := -1, 0
	if len(plan.kv) > 0 {
		if driver, driverN, err = fgPickDriver(ctx, db, kv, plan.kv, byID && !count); err != nil {
			return nil, err
		}
	}

	if count && driver >= 0 && driverN == 0 {
		res.counted = true
		return res, nil
	}

	var from string
	var where []string
	var args []any
	if driver >= 0 {
		d := plan.kv[driver]
		if d.eq {
			from = fmt.Sprintf(`%q AS d CROSS JOIN %q AS t ON t.rowid = d.rid`, kv, t)
			where = append(where, fgQualify("d", d.sql))
		} else {
			// $in and ranges can match several elements of one array: one row per document.
			from = fmt.Sprintf(`(SELECT DISTINCT id, rid FROM %q WHERE %s) AS d CROSS JOIN %q AS t ON t.rowid = d.rid`, kv, d.sql, t)
		}
		args = append(args, d.args...)
		for i, op := range plan.idOps {
			where = append(where, "d.id "+op+" ?")
			args = append(args, plan.idArgs[i])
		}
		for i, term := range plan.kv {
			if i == driver {
				continue
			}
			where = append(where, fmt.Sprintf(`EXISTS (SELECT 1 FROM %q AS e WHERE %s AND e.id = d.id AND e.rid = d.rid)`,
				kv, fgQualify("e", term.sql)))
			args = append(args, term.args...)
		}
	} else {
		from = fmt.Sprintf(`%q AS t`, t)
		if byID {
			from += fmt.Sprintf(` INDEXED BY %q`, fgIDIndex(t))
		}
	}
	where = append(where, plan.where...)
	args = append(args, plan.args...)

	whereSQL := ""
	if len(where) > 0 {
		whereSQL = " WHERE " + strings.Join(where, " AND ")
	}

	if count {
		if driver >= 0 && len(plan.where) == 0 {
			// the side table alone answers it
			from = strings.SplitN(from, " CROSS JOIN ", 2)[0]
		}
		q := fmt.Sprintf(`SELECT count(*) FROM %s%s`, from, whereSQL)
		if err := db.QueryRowContext(ctx, q, args...).Scan(&res.count); err != nil {
			return nil, lazyerrors.Errorf("%s: %w", q, err)
		}
		res.counted = true
		return res, nil
	}

	order := natural
	switch {
	case byID && driver >= 0 && plan.kv[driver].eq:
		order = " ORDER BY d.id" + dir
		res.sorted = true
	case byID:
		order = fmt.Sprintf(` ORDER BY t.%s->>'$._id'%s`, metadata.DefaultColumn, dir)
		res.sorted = true
	case sortDoc.Len() == 0:
		res.sorted = natural == ""
	}

	q := strings.Replace(selectClause, fmt.Sprintf(`FROM %q`, t), "FROM "+from, 1) + whereSQL + order
	if limit > 0 && plan.exact && (res.sorted || natural != "") {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}

	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, lazyerrors.Errorf("%s: %w", q, err)
	}
	res.rows = rows
	return res, nil
}

// fgWriteLock holds the database's write lock (see fglock) for one write of this backend to db.
func fgWriteLock(ctx context.Context, dbName string, db *fsql.DB) func() {
	_, unlock := fglock.Hold(ctx, dbName)
	fgNoteWrite(dbName, db)
	return unlock
}

// fgExecLocked runs one write statement under the database's write lock.
func fgExecLocked(ctx context.Context, db *fsql.DB, dbName, q string, args ...any) (sql.Result, error) {
	defer fgWriteLock(ctx, dbName, db)()
	return db.ExecContext(ctx, q, args...)
}
