// Fixture: a cgo file is left alone, its sites listed with the reason.
package cases

// int twice(int x) { return 2 * x; }
import "C"

import "unsafe"

func viaC(p *int32) *C.int { return (*C.int)(unsafe.Pointer(p)) }
