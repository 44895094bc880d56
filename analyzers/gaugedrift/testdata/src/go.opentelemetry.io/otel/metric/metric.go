// Package metric is a stub of OpenTelemetry's metric API.
package metric

import "context"

type AddOption interface{ addOption() }

type Int64UpDownCounter interface {
	Add(ctx context.Context, incr int64, options ...AddOption)
}

type Float64UpDownCounter interface {
	Add(ctx context.Context, incr float64, options ...AddOption)
}
