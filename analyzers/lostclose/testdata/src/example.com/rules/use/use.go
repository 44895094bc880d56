// Package use builds rule storages.
package use

import "example.com/rules/filterlist"

// A storage of in-memory lists holds nothing to release: it is as new as
// the lists it is given.
func Blocked(host, rules string) (bool, error) {
	st, err := filterlist.NewStorage([]filterlist.RuleList{&filterlist.StringList{Num: 1, Text: rules}})
	if err != nil {
		return false, err
	}
	return st.Match(host), nil
}

// Of a list opened from a file, it is the owner: dropping it leaks the
// file.
func BlockedByFile(host, name string) (bool, error) {
	fl, err := filterlist.NewFileList(1, name)
	if err != nil {
		return false, err
	}
	st, err := filterlist.NewStorage([]filterlist.RuleList{fl}) // want `st \(\*filterlist.Storage from filterlist.NewStorage\) is never closed`
	if err != nil {
		return false, err
	}
	return st.Match(host), nil
}
