// Command protobuf is bench/scale.sh's large-generated-code case: a
// program on google.golang.org/protobuf's generated packages (descriptor,
// plugin, the well-known types: hundreds of kilobytes of generated Go)
// and its runtime (unsafe-based reflection in internal/impl). Its workload
// marshals and unmarshals descriptor.proto's own descriptor N times,
// through the binary and the JSON encodings, and checks that each round
// trip gives back an equal message.
package main

import (
	"fmt"
	"os"
	"strconv"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"
	"google.golang.org/protobuf/types/pluginpb"
)

func main() {
	n := 200
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	fd := protodesc.ToFileDescriptorProto(descriptorpb.File_google_protobuf_descriptor_proto)
	req := &pluginpb.CodeGeneratorRequest{ProtoFile: []*descriptorpb.FileDescriptorProto{fd}}
	st, err := structpb.NewStruct(map[string]any{"n": n, "tags": []any{"a", true, 1.5}})
	check(err)
	packed, err := anypb.New(st)
	check(err)
	extra := []proto.Message{packed, durationpb.New(1500), &timestamppb.Timestamp{Seconds: 1e9, Nanos: 7}, wrapperspb.String("s")}
	size := 0
	for i := 0; i < n; i++ {
		b, err := proto.Marshal(req)
		check(err)
		var back pluginpb.CodeGeneratorRequest
		check(proto.Unmarshal(b, &back))
		if !proto.Equal(req, &back) {
			panic("binary round trip differs")
		}
		j, err := protojson.Marshal(&back)
		check(err)
		var jback pluginpb.CodeGeneratorRequest
		check(protojson.Unmarshal(j, &jback))
		if !proto.Equal(req, &jback) {
			panic("JSON round trip differs")
		}
		size = len(b)
	}
	for _, m := range extra {
		b, err := proto.Marshal(m)
		check(err)
		size += len(b)
	}
	fmt.Println(size) // not the JSON's: protojson varies its spacing on purpose
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
