// Part of firegov (Apache-2.0), not of FerretDB: copied into FerretDB 1.24 as internal/util/fglock
// by infra/src/ferretdb-patches.ts.

// Package fglock serialises the writes to one database inside this FerretDB process.
//
// FerretDB 1.24 updates a document by reading it, applying the update in memory and writing it
// back, with nothing in between: concurrent updates of one document lost all but one (200
// concurrent $inc left 2-11), which is why the services lock documents themselves. And SQLite
// takes one writer at a time: concurrent writers spun in its busy handler (sleeps of up to
// 100 ms), so a burst of small updates, an outbox relay clearing 500 documents, took seconds.
//
// With this lock every update, findAndModify and delete holds the database's lock from its read
// to its write, and inserts hold it for their write: one writer at a time per database, as
// SQLite allows anyway, with isolated read-modify-writes and no busy waiting. The lock is taken
// before a command opens any connection, so a waiter never holds one the holder needs.
package fglock

import (
	"context"
	"sync"
)

type heldKey struct{ db string }

var locks sync.Map // database name -> *sync.Mutex

// Hold takes the write lock of database db, unless ctx already holds it (a command's own write
// inside its read-modify-write), and returns the context that says it holds it, and the release.
func Hold(ctx context.Context, db string) (context.Context, func()) {
	if ctx.Value(heldKey{db}) != nil {
		return ctx, func() {}
	}
	m, _ := locks.LoadOrStore(db, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return context.WithValue(ctx, heldKey{db}, true), mu.Unlock
}

var closing sync.Map // database name -> *sync.RWMutex

func closingLock(db string) *sync.RWMutex {
	m, _ := closing.LoadOrStore(db, new(sync.RWMutex))
	return m.(*sync.RWMutex)
}

// Use marks database db as in use by a background task (the WAL checkpointer) until the release;
// Closing waits for it. SQLite leaves the log file behind when the last connection to a database
// closes after the file was removed, so a drop must not close the database under such a task.
func Use(db string) func() {
	m := closingLock(db)
	m.RLock()
	return m.RUnlock
}

// Closing is held by whoever closes and removes database db (a drop), until the release.
func Closing(db string) func() {
	m := closingLock(db)
	m.Lock()
	return m.Unlock
}
