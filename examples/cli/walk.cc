#include "walk.h"

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "text.h"

namespace kimitsu_cli {
namespace {

using FileId = std::pair<dev_t, ino_t>;

FileId IdOf(const struct stat& st) { return {st.st_dev, st.st_ino}; }

std::string Join(const std::string& dir, const char* name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// realpath(path), or "" when it cannot be resolved.
std::string RealPath(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return "";
  std::string out = resolved;
  free(resolved);
  return out;
}

// What the symlink at `path` says, for messages ("-> ../x").
std::string LinkText(const std::string& path) {
  char buf[PATH_MAX];
  ssize_t n = readlink(path.c_str(), buf, sizeof buf);
  if (n < 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

const char* TypeName(mode_t mode) {
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISDIR(mode)) return "directory";
  return "special file";
}

// true when `real` is `root` or below it.
bool IsBelow(const std::string& real, const std::string& root) {
  if (real == root) return true;
  if (root == "/") return true;
  return real.size() > root.size() && real.compare(0, root.size(), root) == 0 && real[root.size()] == '/';
}

class Walker {
 public:
  explicit Walker(const WalkOptions& options) : options_(options) {}

  void AddArgument(const std::string& arg) {
    struct ArgDone {
      std::set<std::string>& seen;
      const std::string& arg;
      ~ArgDone() { seen.insert(arg); }
    } done{args_seen_, arg};
    if (arg == "-") {
      Input in;
      in.path = "-";
      in.kind = InputKind::kStdin;
      inputs_.push_back(std::move(in));
      return;
    }
    struct stat st;
    if (stat(arg.c_str(), &st) != 0) {
      int e = errno;
      struct stat lst;
      if (lstat(arg.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
        Error(arg, BrokenLinkMessage(arg, e));
      } else {
        Error(arg, "cannot open: " + ErrnoText(e));
      }
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      std::string real = RealPath(arg);
      if (!real.empty()) roots_.push_back(real);
      if (dirs_seen_.insert(IdOf(st)).second) {
        WalkTree(arg);
      } else if (args_seen_.count(arg) == 0) {
        notes_.push_back(arg + " was already walked as part of another PATH: its files are listed once");
      }
    } else if (S_ISREG(st.st_mode)) {
      AddFile(arg, st);
    } else {
      Error(arg, std::string("not a regular file (") + TypeName(st.st_mode) + ")");
    }
  }

  std::vector<std::string> TakeNotes() { return std::move(notes_); }

  std::vector<Input> Finish() {
    ResolveFileLinks();
    std::sort(inputs_.begin(), inputs_.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
    inputs_.erase(std::unique(inputs_.begin(), inputs_.end(),
                              [](const Input& a, const Input& b) { return a.path == b.path; }),
                  inputs_.end());
    for (Input& in : inputs_) {
      if (in.kind != InputKind::kLink) continue;
      auto it = std::lower_bound(inputs_.begin(), inputs_.end(), in.link_to,
                                 [](const Input& a, const std::string& p) { return a.path < p; });
      if (it == inputs_.end() || it->path != in.link_to || it->kind != InputKind::kFile) {
        in.kind = InputKind::kError;  // cannot happen: the target was added as a file
        in.error = "symlink to a file that is not listed (-> " + in.link_to + ")";
        continue;
      }
      in.link_index = static_cast<size_t>(it - inputs_.begin());
    }
    return std::move(inputs_);
  }

 private:
  void Error(const std::string& path, std::string message) {
    Input in;
    in.path = path;
    in.kind = InputKind::kError;
    in.error = std::move(message);
    inputs_.push_back(std::move(in));
  }

  void AddFile(const std::string& path, const struct stat& st) {
    FileId id = IdOf(st);
    if (options_.exclude && id == FileId(options_.exclude_dev, options_.exclude_ino)) {
      Error(path, "not scanned: this is the report being written (--output)");
      return;
    }
    auto [it, inserted] = files_.emplace(id, path);
    if (!inserted && path < it->second) it->second = path;
    Input in;
    in.path = path;
    in.kind = InputKind::kFile;
    in.size = static_cast<uint64_t>(st.st_size);
    inputs_.push_back(std::move(in));
  }

  std::string BrokenLinkMessage(const std::string& path, int error) {
    std::string target = " (-> " + LinkText(path) + ")";
    if (error == ENOENT) return "dangling symlink" + target;
    if (error == ELOOP) return "symlink loop" + target;
    return "cannot follow symlink" + target + ": " + ErrnoText(error);
  }

  bool InsideTrees(const std::string& real) const {
    if (real.empty()) return false;
    for (const std::string& root : roots_) {
      if (IsBelow(real, root)) return true;
    }
    return false;
  }

  // Walks the directory `root` and everything below it, depth first with an
  // explicit stack (no recursion limit on deep trees).
  void WalkTree(const std::string& root) {
    std::vector<std::string> stack{root};
    while (!stack.empty()) {
      std::string dir = std::move(stack.back());
      stack.pop_back();
      DIR* d = opendir(dir.c_str());
      if (d == nullptr) {
        Error(dir, "cannot read directory: " + ErrnoText(errno));
        continue;
      }
      std::vector<std::string> names;
      for (;;) {
        errno = 0;
        struct dirent* e = readdir(d);
        if (e == nullptr) {
          if (errno != 0) Error(dir, "error while reading directory: " + ErrnoText(errno));
          break;
        }
        if (std::string_view(e->d_name) == "." || std::string_view(e->d_name) == "..") continue;
        names.emplace_back(e->d_name);
      }
      closedir(d);
      for (const std::string& name : names) {
        std::string path = Join(dir, name.c_str());
        struct stat st;
        if (lstat(path.c_str(), &st) != 0) {
          Error(path, "cannot stat: " + ErrnoText(errno));
        } else if (S_ISREG(st.st_mode)) {
          AddFile(path, st);
        } else if (S_ISDIR(st.st_mode)) {
          if (dirs_seen_.insert(IdOf(st)).second) {
            stack.push_back(std::move(path));
          } else {
            notes_.push_back(path + " is a directory already walked (given as a PATH, or a bind mount): "
                                    "its files are listed once");
          }
        } else if (S_ISLNK(st.st_mode)) {
          Link(path, stack);
        } else {
          Error(path, std::string("not a regular file (") + TypeName(st.st_mode) + ")");
        }
      }
    }
  }

  // A symlink met below a directory.
  void Link(const std::string& path, std::vector<std::string>& stack) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      Error(path, BrokenLinkMessage(path, errno));
      return;
    }
    std::string target = " (-> " + LinkText(path) + ")";
    if (S_ISREG(st.st_mode)) {
      file_links_.push_back(path);  // after the walk, when every regular file is known
    } else if (S_ISDIR(st.st_mode)) {
      std::string real = RealPath(path);
      if (!options_.follow_symlinks) {
        if (InsideTrees(real)) {
          Error(path, "symlink to a directory inside the scanned tree" + target +
                          "; not followed: its files are reported under their own paths");
        } else {
          Error(path, "symlink to a directory outside the scanned tree" + target +
                          "; not followed (use --follow-symlinks)");
        }
      } else if (!dirs_seen_.insert(IdOf(st)).second) {
        std::string parent = RealPath(Parent(path));
        if (!real.empty() && IsBelow(parent, real)) {
          Error(path, "symlink loop" + target + ": points to a directory above it; not walked again");
        } else {
          Error(path, "symlink to a directory already walked" + target + "; not walked again");
        }
      } else {
        stack.push_back(path);
      }
    } else {
      Error(path, std::string("not a regular file (symlink to a ") + TypeName(st.st_mode) + ")" + target);
    }
  }

  // Symlinks to regular files, in path order: one to a file already listed
  // shares its classification; one to a file inside the trees (or anywhere,
  // with --follow-symlinks) is scanned under its own path, once.
  void ResolveFileLinks() {
    std::sort(file_links_.begin(), file_links_.end());
    for (const std::string& path : file_links_) {
      struct stat st;
      if (stat(path.c_str(), &st) != 0) {
        Error(path, BrokenLinkMessage(path, errno));
        continue;
      }
      auto it = files_.find(IdOf(st));
      if (it != files_.end()) {
        Input in;
        in.path = path;
        in.kind = InputKind::kLink;
        in.link_to = it->second;
        inputs_.push_back(std::move(in));
      } else if (options_.follow_symlinks || InsideTrees(RealPath(path))) {
        AddFile(path, st);
      } else {
        Error(path, "symlink to a file outside the scanned tree (-> " + LinkText(path) +
                        "); not followed (use --follow-symlinks)");
      }
    }
  }

  WalkOptions options_;
  std::vector<Input> inputs_;
  std::vector<std::string> roots_;          // real paths of the directories given
  std::set<FileId> dirs_seen_;
  std::map<FileId, std::string> files_;     // regular file -> the path it is listed under
  std::vector<std::string> file_links_;
  std::set<std::string> args_seen_;
  std::vector<std::string> notes_;
};

}  // namespace

std::vector<Input> Walk(const std::vector<std::string>& paths, const WalkOptions& options,
                        std::vector<std::string>* notes) {
  Walker walker(options);
  for (const std::string& p : paths) walker.AddArgument(p);
  std::vector<Input> inputs = walker.Finish();
  if (notes) *notes = walker.TakeNotes();
  return inputs;
}

}  // namespace kimitsu_cli
