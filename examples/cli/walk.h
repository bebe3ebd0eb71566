// Enumerating the inputs of `kimitsu scan`: the paths given, directories
// walked recursively. Nothing is skipped silently: every regular file is an
// input, and everything that cannot be scanned (an unreadable directory, a
// fifo, a dangling symlink, ...) is an input whose error says why.
#ifndef KIMITSU_CLI_WALK_H_
#define KIMITSU_CLI_WALK_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kimitsu_cli {

enum class InputKind {
  kFile,   // a regular file (or a symlink to one) to read and scan
  kStdin,  // "-"
  kLink,   // a symlink to a file that is scanned under another path
  kError,  // not scanned: `error` says why
};

struct Input {
  std::string path;      // the argument, joined with the names found below it
  InputKind kind = InputKind::kFile;
  std::string error;     // kError
  std::string link_to;   // kLink: the path of the input it shares a classification with
  size_t link_index = 0; // kLink: index of that input in the list
  uint64_t size = 0;     // kFile: size when walked (for progress)
};

struct WalkOptions {
  // Follow symlinks to directories and to files outside the trees given.
  bool follow_symlinks = false;
  // A file not to read (the report being written), by device and inode.
  bool exclude = false;
  dev_t exclude_dev = 0;
  ino_t exclude_ino = 0;
};

// The inputs under `paths`, sorted by path (byte order), each path once.
//
// Symlinks: a symlink given as an argument is followed. Below a directory,
// a symlink to a file inside the trees given is not read again: it becomes a
// kLink to that file's input (a file is scanned once). Symlinks to
// directories, and to files outside the trees, are not followed unless
// follow_symlinks; with it, a directory is walked once however many links
// lead to it, so loops end. Dangling symlinks and loops are errors.
//
// A directory given twice (or inside another PATH) is walked once; *notes,
// if not null, receives a sentence for each such PATH (nothing is lost: its
// files are listed under the first path).
std::vector<Input> Walk(const std::vector<std::string>& paths, const WalkOptions& options,
                        std::vector<std::string>* notes = nullptr);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_WALK_H_
