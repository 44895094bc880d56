//go:build proxylintcustom

package tagged

func Custom() bool { return true }
