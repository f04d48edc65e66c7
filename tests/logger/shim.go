// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The runtime primitives the logger's pure files call (declared in
// inject/reflect/goinstr_log.go, defined by package runtime there), given
// here so that tests/logger.sh can compile those files into an ordinary
// package: the environment is a map the tests fill, the clock and the
// random source are settable.

package goinstrtest

import (
	"hash/maphash"
	"time"
)

var (
	testEnv    = map[string]string{}
	testRoot   = "/usr/local/go"
	testArgv0  = "./app"
	testExe    = "/srv/bin/app"
	testCwd    = "/srv/bin"
	testNow    = func() (int64, int32) { t := time.Now(); return t.Unix(), int32(t.Nanosecond()) }
	testRandN  uint64
	testSeed   = maphash.MakeSeed()
	testHashes int
)

func goinstrGetenv(key string) string { return testEnv[key] }
func goinstrArg0() string             { return testArgv0 }
func goinstrExecutable() string       { return testExe }
func goinstrGetcwd() string           { return testCwd }
func goinstrGOROOT() string           { return testRoot }
func goinstrWalltime() (int64, int32) { return testNow() }

func goinstrRand() uint64 {
	testRandN++
	return testRandN * 0x9e3779b97f4a7c15
}

func goinstrStrhash(s string) uintptr {
	testHashes++
	return uintptr(maphash.String(testSeed, s))
}

// goinstrStrhashSeed: a maphash seed per seed value (as the runtime's
// hash, independent hashes for different seeds).
func goinstrStrhashSeed(s string, seed uintptr) uintptr {
	ms, ok := testSeeds[seed]
	if !ok {
		ms = maphash.MakeSeed()
		testSeeds[seed] = ms
	}
	return uintptr(maphash.String(ms, s))
}

var testSeeds = map[uintptr]maphash.Seed{}
