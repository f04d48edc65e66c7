// Package gdep is tests/logger/golden's dependency, replaced by this
// directory, so that the fixture's headers list one ("deps").
package gdep

import "reflect"

// Set stores s in *p through package reflect: the caller of its event is
// this package, outside the main module.
func Set(p *string, s string) { reflect.ValueOf(p).Elem().SetString(s) }
