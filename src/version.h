/* version.h - goinstr's version, written into every log header. */
#ifndef VERSION_H
#define VERSION_H
#define GOINSTR_VERSION "0.1.0"
#define TREE_SITTER_VERSION "0.25.1"
#define TREE_SITTER_GO_VERSION "0.25.0"
#endif
