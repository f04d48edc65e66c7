package main

import (
	"os"
	"testing"
)

func TestProbe(t *testing.T) { report(os.Stdout) }
