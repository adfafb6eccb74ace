// Part of firegov (Apache-2.0), not of FerretDB: infra/src/ferretdb-patches.ts copies this file into
// FerretDB 1.24's SQLite backend; every write of the backend reports itself through fgWriteLock.
//
// Why: SQLite checkpoints its WAL inside the commit that crosses `wal_autocheckpoint` pages (1,000
// by default). That writer, holding the database's write lock (fglock), copies the pages into the
// database file and syncs it while every other writer waits: 15% of an update's time on the
// local store, and the same page (an index's root, a side-table page) written again for every
// 1,000 pages of log.
//
// What: one goroutine per open database checkpoints it a few times a second when something was
// written. A PASSIVE checkpoint never waits for writers, nor they for it. The stack raises
// `wal_autocheckpoint` (its SQLite URL) to 10,000 pages: under steady writes a commit still
// checkpoints at that size, which rewinds the log, but by then most pages were copied here.
// (Rewinding it from here with a RESTART under the write lock was tried: RESTART waits for
// readers while writers wait for it, and pushes fell from 240/s to 167/s.) A drop waits for a
// running checkpoint (fglock.Use and fglock.Closing).

package sqlite

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/FerretDB/FerretDB/internal/util/fglock"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
)

const (
	fgCheckpointEvery = 200 * time.Millisecond
	// An idle database is still checkpointed now and then, which is also how the goroutine learns
	// that its database was closed (dropped).
	fgCheckpointIdleTicks = 25
)

var fgCheckpointers sync.Map // *fsql.DB -> *fgCheckpointer

type fgCheckpointer struct {
	writes atomic.Int64
}

// fgNoteWrite counts a write to db, starting db's checkpointer on its first write.
func fgNoteWrite(dbName string, db *fsql.DB) {
	v, ok := fgCheckpointers.Load(db)
	if !ok {
		var started bool
		v, started = fgCheckpointers.LoadOrStore(db, &fgCheckpointer{})
		if !started {
			go v.(*fgCheckpointer).run(dbName, db)
		}
	}
	v.(*fgCheckpointer).writes.Add(1)
}

func (c *fgCheckpointer) run(dbName string, db *fsql.DB) {
	defer fgCheckpointers.Delete(db)

	t := time.NewTicker(fgCheckpointEvery)
	defer t.Stop()

	var seen int64
	idle := 0
	for range t.C {
		n := c.writes.Load()
		if n == seen && idle < fgCheckpointIdleTicks {
			idle++
			continue
		}
		seen, idle = n, 0
		if closed := fgCheckpoint(dbName, db); closed {
			return
		}
	}
}

// fgCheckpoint checkpoints db once, marking it in use; it reports whether db is closed.
func fgCheckpoint(dbName string, db *fsql.DB) (closed bool) {
	defer fglock.Use(dbName)()

	_, err := db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
	return err != nil && strings.Contains(err.Error(), "database is closed")
}
