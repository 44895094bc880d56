package a

import (
	"context"
	"database/sql"
	"net/http"
)

// A transaction ends with Rollback or Commit: the connection it holds goes
// back to the pool.

func inTx(ctx context.Context, db *sql.DB, stmts []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func commitOnly(ctx context.Context, db *sql.DB, s string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

var txDB *sql.DB

func ServeTx(w http.ResponseWriter, r *http.Request) {
	if err := inTx(r.Context(), txDB, []string{"SELECT 1"}); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
	}
	commitOnly(r.Context(), txDB, "SELECT 1")
}
