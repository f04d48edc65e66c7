// Command quick links the modules of goinstr's unsafe ground truth but
// modernc.org/sqlite (tests/corpus.sh --quick).
package main

import (
	"fmt"

	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"
	jsoniter "github.com/json-iterator/go"
	"golang.org/x/sys/unix"
	"google.golang.org/protobuf/types/known/structpb"
)

func main() {
	v := map[string]any{"a": 1}
	b1, _ := sonic.Marshal(v)
	b2, _ := gojson.Marshal(v)
	b3, _ := jsoniter.Marshal(v)
	s, err := structpb.NewStruct(v)
	fmt.Println(string(b1), string(b2), string(b3), err == nil && s != nil, unix.Getpid() > 0)
}
