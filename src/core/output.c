#include "core/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

struct Output {
    FILE *f;
    char path[4096];
    char temp[8320]; /* "" for stdout */
};

/* The folder part of path ("." when there is none). */
static int dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return snprintf(dir, n, ".") < (int)n ? 0 : -1;
    size_t k = slash == path ? 1 : (size_t)(slash - path);
    if (k >= n)
        return -1;
    memcpy(dir, path, k);
    dir[k] = '\0';
    return 0;
}

int output_check(const char *path, const char *const *inputs, int n_inputs)
{
    if (!path || !path[0]) {
        sc_set_error("empty output path");
        return -1;
    }
    if (!strcmp(path, "-"))
        return 0;
    if (strlen(path) + 16 >= sizeof(((Output *)0)->temp)) {
        sc_set_error("%s: output path too long", path);
        return -1;
    }
    char dir[4096];
    struct stat st;
    if (dir_of(path, dir, sizeof dir) < 0 || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        sc_set_error("%s: folder '%s' does not exist (it is not created)", path, dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        sc_set_error("%s: folder '%s' is not writable (%s)", path, dir, strerror(errno));
        return -1;
    }
    struct stat t;
    if (lstat(path, &t) == 0) {
        if (S_ISLNK(t.st_mode)) {
            sc_set_error("%s: is a symbolic link; not replaced (write to its target instead)",
                         path);
            return -1;
        }
        if (!S_ISREG(t.st_mode)) {
            sc_set_error("%s: exists and is not a regular file; not replaced", path);
            return -1;
        }
        for (int i = 0; i < n_inputs; i++) {
            struct stat in;
            if (inputs[i] && inputs[i][0] && stat(inputs[i], &in) == 0 && in.st_dev == t.st_dev &&
                in.st_ino == t.st_ino) {
                sc_set_error("%s: is the input file %s; choose another output", path, inputs[i]);
                return -1;
            }
        }
    } else if (errno != ENOENT) {
        sc_set_error("%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

Output *output_open(const char *path, const char *const *inputs, int n_inputs)
{
    if (output_check(path, inputs, n_inputs) < 0)
        return NULL;
    Output *o = calloc(1, sizeof *o);
    if (!o) {
        sc_set_error("%s: out of memory", path);
        return NULL;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    if (!strcmp(path, "-")) {
        o->f = stdout;
        return o;
    }
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(o->temp, sizeof o->temp, "%s/.%s.XXXXXX", dir, base);
    int fd = mkstemp(o->temp);
    if (fd < 0) {
        sc_set_error("%s: cannot create a temporary file in '%s' (%s)", path, dir, strerror(errno));
        free(o);
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "wb"))) {
        sc_set_error("%s: %s", path, strerror(errno));
        close(fd);
        unlink(o->temp);
        free(o);
        return NULL;
    }
    return o;
}

FILE *output_stream(Output *o)
{
    return o->f;
}

const char *output_temp_path(const Output *o)
{
    return o->temp;
}

void output_abort(Output **po)
{
    if (!po || !*po)
        return;
    Output *o = *po;
    if (o->temp[0]) {
        fclose(o->f);
        unlink(o->temp);
    }
    free(o);
    *po = NULL;
}

int output_commit(Output **po)
{
    Output *o = *po;
    *po = NULL;
    if (!o->temp[0]) { /* stdout */
        int bad = fflush(stdout) != 0 || ferror(stdout);
        if (bad)
            sc_set_error("stdout: write failed (%s)", errno ? strerror(errno) : "I/O error");
        free(o);
        return bad ? -1 : 0;
    }
    errno = 0;
    int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
    int err = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    struct stat t;
    if (bad) {
        sc_set_error("%s: write failed (%s); nothing written", o->path,
                     err ? strerror(err) : "I/O error");
    } else if (lstat(o->path, &t) == 0 && !S_ISREG(t.st_mode)) {
        sc_set_error("%s: became something other than a regular file; not replaced", o->path);
        bad = 1;
    } else if (rename(o->temp, o->path) != 0) {
        sc_set_error("%s: cannot rename the finished output into place (%s)", o->path,
                     strerror(errno));
        bad = 1;
    }
    if (bad)
        unlink(o->temp);
    free(o);
    return bad ? -1 : 0;
}

int output_write_all(const char *path, const void *data, size_t n, const char *const *inputs,
                     int n_inputs)
{
    Output *o = output_open(path, inputs, n_inputs);
    if (!o)
        return -1;
    if (n && fwrite(data, 1, n, output_stream(o)) != n) {
        sc_set_error("%s: write failed (%s); nothing written", path, strerror(errno));
        output_abort(&o);
        return -1;
    }
    return output_commit(&o);
}

int output_close_stdout(void)
{
    errno = 0;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int err = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (bad)
        sc_set_error("stdout: write failed (%s); output lost", err ? strerror(err) : "I/O error");
    return bad ? -1 : 0;
}

FILE *output_open_locked(const char *path, const char *const *inputs, int n_inputs)
{
    if (!strcmp(path, "-")) {
        sc_set_error("-: a recording needs a file");
        return NULL;
    }
    if (output_check(path, inputs, n_inputs) < 0)
        return NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd < 0) {
        sc_set_error("%s: %s", path, errno == ELOOP ? "is a symbolic link" : strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        sc_set_error("%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        sc_set_error("%s: %s", path,
                     errno == EWOULDBLOCK ? "another process is writing it" : strerror(errno));
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (ftruncate(fd, 0) != 0 || fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
        !(f = fdopen(fd, "wb"))) {
        sc_set_error("%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    return f;
}
