//go:build !linux

package tagged

func OS() string { return "other" }
