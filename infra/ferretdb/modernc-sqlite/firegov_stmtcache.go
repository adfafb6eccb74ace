// Part of firegov (Apache-2.0), not of modernc.org/sqlite: infra/src/ferretdb-patches.ts copies this
// file into the modernc.org/sqlite module FerretDB is built with, and hooks it into conn.exec.
//
// Why: the driver prepares and finalizes every statement on every Exec. FerretDB issues each
// write as the same few statements (INSERT/UPDATE/DELETE of one table), and preparing them is
// costly because SQLite compiles the table's triggers (the pushdown's side-table triggers) into
// every statement: about a quarter of an update's CPU time on the local store.
//
// What: a connection keeps the prepared statements of the single-statement SQL it executed, by
// text, and resets them after each use instead of finalizing them. SQLite re-prepares a kept
// statement by itself when the schema changes (sqlite3_prepare_v2). A connection is used by one
// goroutine at a time (database/sql), so the cache needs no lock.

package sqlite

import (
	"context"
	"database/sql/driver"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// fgStmtCacheSize bounds the statements one connection keeps; FerretDB's writes use a handful per
// collection. When full, the cache is emptied and refilled by use.
const fgStmtCacheSize = 256

type fgStmtCache struct {
	stmts map[string]uintptr
}

// fgExecCached runs a single-statement query from the cache; ok is false when the query is not
// cacheable (several statements, or none), and the caller runs it the usual way.
func (c *conn) fgExecCached(ctx context.Context, query string, args []driver.NamedValue) (r driver.Result, err error, ok bool) {
	pstmt, cached := c.fgCache.stmts[query]
	if !cached {
		csql, err := libc.CString(query)
		if err != nil {
			return nil, err, true
		}
		defer c.free(csql)
		tail := csql
		if pstmt, err = c.prepareV2(&tail); err != nil {
			return nil, err, true
		}
		if pstmt == 0 {
			return nil, nil, false
		}
		if *(*byte)(unsafe.Pointer(tail)) != 0 {
			// More than one statement: not cached (the usual path runs them in turn).
			_ = c.finalize(pstmt)
			return nil, nil, false
		}
		if c.fgCache.stmts == nil || len(c.fgCache.stmts) >= fgStmtCacheSize {
			c.fgFinalizeAll()
			c.fgCache.stmts = make(map[string]uintptr)
		}
		c.fgCache.stmts[query] = pstmt
	}

	var done int32
	if ctx != nil {
		if ctxDone := ctx.Done(); ctxDone != nil {
			select {
			case <-ctxDone:
				return nil, ctx.Err(), true
			default:
			}
			defer interruptOnDone(ctx, c, &done)()
		}
	}

	var allocs []uintptr
	defer func() {
		// Reset before the bound memory is freed: the statement must not point at it afterwards.
		sqlite3.Xsqlite3_reset(c.tls, pstmt)
		sqlite3.Xsqlite3_clear_bindings(c.tls, pstmt)
		for _, v := range allocs {
			c.free(v)
		}
		if ctx != nil && atomic.LoadInt32(&done) != 0 {
			r, err = nil, ctx.Err()
		}
	}()

	n, err := c.bindParameterCount(pstmt)
	if err != nil {
		return nil, err, true
	}
	if n != 0 {
		if allocs, err = c.bind(pstmt, n, args); err != nil {
			return nil, err, true
		}
	}

	rc, err := c.step(pstmt)
	if err != nil {
		return nil, err, true
	}
	switch rc & 0xff {
	case sqlite3.SQLITE_DONE, sqlite3.SQLITE_ROW:
		r, err = newResult(c)
		return r, err, true
	default:
		return nil, c.errstr(int32(rc)), true
	}
}

// fgFinalizeAll finalizes every kept statement (before the connection closes, or to make room).
func (c *conn) fgFinalizeAll() {
	for q, pstmt := range c.fgCache.stmts {
		_ = c.finalize(pstmt)
		delete(c.fgCache.stmts, q)
	}
}
