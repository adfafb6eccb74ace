// Part of firegov (Apache-2.0), not of FerretDB: copied into FerretDB 1.24's handler package by
// infra/src/ferretdb-patches.ts. It lets `countDocuments` be answered by a SQL count when the
// backend could translate the whole filter (see firegov_pushdown.go in the SQLite backend).

package handler

import (
	"context"
	"strings"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fglock"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// fgCountPipeline recognises the pipeline drivers send for countDocuments,
// [{$match: F}, {$group: {_id: <constant>, n: {$sum: 1}}}], and returns the group id and field.
func fgCountPipeline(stages []any) (any, string, bool) {
	if len(stages) != 2 {
		return nil, "", false
	}
	match, ok1 := stages[0].(*types.Document)
	group, ok2 := stages[1].(*types.Document)
	if !ok1 || !ok2 || match.Len() != 1 || !match.Has("$match") || group.Len() != 1 || !group.Has("$group") {
		return nil, "", false
	}
	spec, _ := group.Get("$group")
	g, ok := spec.(*types.Document)
	if !ok || g.Len() != 2 || !g.Has("_id") {
		return nil, "", false
	}
	var id any
	var field string
	for _, k := range g.Keys() {
		v, _ := g.Get(k)
		if k == "_id" {
			switch v := v.(type) {
			case int32, int64, float64, bool, types.NullType:
				id = v
			case string:
				if strings.HasPrefix(v, "$") {
					return nil, "", false
				}
				id = v
			default:
				return nil, "", false
			}
			continue
		}
		acc, ok := v.(*types.Document)
		if !ok || acc.Len() != 1 || !acc.Has("$sum") {
			return nil, "", false
		}
		sum, _ := acc.Get("$sum")
		switch s := sum.(type) {
		case int32:
			ok = s == 1
		case int64:
			ok = s == 1
		case float64:
			ok = s == 1
		default:
			ok = false
		}
		if !ok || strings.HasPrefix(k, "$") {
			return nil, "", false
		}
		field = k
	}
	return id, field, field != ""
}

// fgCountDocument is what the $group stage would have produced for count documents.
func fgCountDocument(id any, field string, count int64) []*types.Document {
	if count == 0 {
		return nil
	}
	var n any = count
	if count <= 1<<31-1 {
		n = int32(count)
	}
	d := types.MakeDocument(2)
	d.Set("_id", id)
	d.Set(field, n)

	return []*types.Document{d}
}

// fgProcessStagesDocuments is processStagesDocuments that first offers a count pipeline to the
// backend as a count; the filter must not have lost dotted keys on the way (the handler strips
// them from pushdown), or the backend would count a superset.
func fgProcessStagesDocuments(
	ctx context.Context, closer *iterator.MultiCloser, p *stagesDocumentsParams, stages []any, filter *types.Document,
) (types.DocumentsIterator, error) {
	id, field, ok := fgCountPipeline(stages)
	if !ok || p.qp.Filter.Len() != filter.Len() {
		return processStagesDocuments(ctx, closer, p)
	}

	qp := *p.qp
	qp.CountOnly = true

	res, err := p.c.Query(ctx, &qp)
	if err != nil {
		closer.Close()
		return nil, lazyerrors.Error(err)
	}

	closer.Add(res.Iter)

	if res.Counted {
		return iterator.Values(iterator.ForSlice(fgCountDocument(id, field, res.Count))), nil
	}

	iter := res.Iter
	for _, s := range p.stages {
		if iter, err = s.Process(ctx, iter, closer); err != nil {
			return nil, err
		}
	}

	return iter, nil
}

// fgHold takes the database's write lock for a whole read-modify-write command (see fglock).
func fgHold(ctx context.Context, db string) (context.Context, func()) {
	return fglock.Hold(ctx, db)
}

// fgDelete runs one delete statement under the database's write lock.
func fgDelete(ctx context.Context, db string, run func(context.Context) (int32, error)) (int32, error) {
	ctx, unlock := fglock.Hold(ctx, db)
	defer unlock()
	return run(ctx)
}
