// Package brokendep imports a package that does not type-check, so it
// cannot be analysed itself: proxylint must say so rather than pass it
// silently.
package brokendep

import "example.com/badinput/broken"

func Use() { _ = broken.Broken() }
