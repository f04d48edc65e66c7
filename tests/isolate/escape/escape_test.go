// Package escape tries what a program run under goinstr's --isolate must
// not do: each test passes where the attempt succeeds (outside the
// sandbox, or in a sandbox that lets it) and fails where it is stopped.
// A test whose variable is not set is skipped.
package escape

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

func need(t *testing.T, name string) string {
	v := os.Getenv(name)
	if v == "" {
		t.Skip(name + " not set")
	}
	return v
}

// TestNetwork connects to ISO_ADDR (a listener outside the sandbox).
func TestNetwork(t *testing.T) {
	c, err := net.Dial("tcp", need(t, "ISO_ADDR"))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestUnix connects to the Unix socket ISO_UNIX (where an ssh-agent
// would listen).
func TestUnix(t *testing.T) {
	c, err := net.Dial("unix", need(t, "ISO_UNIX"))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestWrite writes the file ISO_FILE.
func TestWrite(t *testing.T) {
	if err := os.WriteFile(need(t, "ISO_FILE"), []byte("escaped\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLog performs a reflect operation, which an instrumented test logs.
func TestLog(t *testing.T) {
	var n int64
	reflect.ValueOf(&n).Elem().SetInt(1)
	if n != 1 {
		t.Fatal(n)
	}
}

// TestLogDir writes a file beside the log, in its directory (a .bashrc
// when the log is in $HOME).
func TestLogDir(t *testing.T) {
	dir := filepath.Dir(need(t, "INSTRUMENTATION_LOG_PATH"))
	if err := os.WriteFile(filepath.Join(dir, ".bashrc"), []byte("escaped\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestHome reads $HOME/.ssh/id_secret.
func TestHome(t *testing.T) {
	need(t, "ISO_HOME")
	home, _ := os.UserHomeDir()
	b, err := os.ReadFile(filepath.Join(home, ".ssh", "id_secret"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read %d bytes", len(b))
}

// TestGocache plants a file in GOCACHE (ISO_GOCACHE), where later builds
// take their compiled packages from.
func TestGocache(t *testing.T) {
	p := filepath.Join(need(t, "ISO_GOCACHE"), "ff", "goinstr-escape-test")
	if err := os.WriteFile(p, []byte("escaped\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestCache plants code in goinstr's cached rewrite of reflect (the cache
// root ISO_CACHE): an init in the injected logger, and the entry's
// MANIFEST, where it has one, made to match.
func TestCache(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(need(t, "ISO_CACHE"), "overlay", "*", "reflect", "goinstr_log.go"))
	if len(files) == 0 {
		t.Fatal("no cached rewrite found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil {
			b = append(b, "\nfunc init() { println(\"planted by a test\") }\n"...)
			err = os.WriteFile(f, b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		man := filepath.Join(filepath.Dir(filepath.Dir(f)), "MANIFEST")
		if m, err := os.ReadFile(man); err == nil {
			sum := sha256.Sum256(b)
			lines := strings.Split(string(m), "\n")
			for i, l := range lines {
				if strings.HasSuffix(l, "  reflect/goinstr_log.go") {
					lines[i] = hex.EncodeToString(sum[:]) + "  reflect/goinstr_log.go"
				}
			}
			if err := os.WriteFile(man, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestProc looks for the go command among the processes it can see: with
// them in view, /proc/PID/root reaches their file system.
func TestProc(t *testing.T) {
	need(t, "ISO_PROC")
	dirs, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, d := range dirs {
		if b, err := os.ReadFile(d); err == nil && strings.TrimSpace(string(b)) == "go" {
			return
		}
	}
	t.Fatal("no go command in view")
}

// TestRemount makes the read-only mount that holds its working directory
// (the package's source) writable again, and writes there.
func TestRemount(t *testing.T) {
	need(t, "ISO_REMOUNT")
	dir, _ := os.Getwd()
	if err := syscall.Mount("none", mountPoint(t, dir), "", syscall.MS_REMOUNT|syscall.MS_BIND, ""); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "remounted.txt")
	if err := os.WriteFile(p, []byte("escaped\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// mountPoint is the mount point (/proc/self/mountinfo) that holds dir.
func mountPoint(t *testing.T, dir string) string {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	best := "/"
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 4 && len(f[4]) > len(best) &&
			(dir == f[4] || strings.HasPrefix(dir, f[4]+"/")) {
			best = f[4]
		}
	}
	return best
}
