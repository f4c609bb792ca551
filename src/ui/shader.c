#include "ui/shader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/paths.h"
#include "ui/gl.h"

#define MAX_DEPTH 8
#define MAX_FILE_BYTES (1 << 20)

const char *shader_dir(void)
{
    static char buf[1024];
    const char *d = getenv("SACCADE_SHADER_DIR");
    if (d && d[0])
        return d;
    if (!paths_data_file(buf, sizeof(buf), "shaders"))
        return "shaders";
    return buf;
}

/* Name used in messages: "shaders/x" for the default folder, "<dir>/x" for an override. */
static void display_name(char *buf, size_t n, const char *file)
{
    const char *d = getenv("SACCADE_SHADER_DIR");
    snprintf(buf, n, "%s/%s", (d && d[0]) ? d : "shaders", file);
}

static char *read_file(const char *file, size_t *len)
{
    char path[1280], shown[1280];
    snprintf(path, sizeof(path), "%s/%s", shader_dir(), file);
    display_name(shown, sizeof(shown), file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        sc_set_error("%s: cannot open shader", shown);
        return NULL;
    }
    char *buf = malloc(MAX_FILE_BYTES + 1);
    if (!buf) {
        fclose(f);
        sc_set_error("%s: out of memory", shown);
        return NULL;
    }
    size_t k = fread(buf, 1, MAX_FILE_BYTES + 1, f);
    fclose(f);
    if (k > MAX_FILE_BYTES) {
        free(buf);
        sc_set_error("%s: shader file too large", shown);
        return NULL;
    }
    buf[k] = 0;
    *len = k;
    return buf;
}

typedef struct Out {
    char *text;
    size_t len, cap;
    int n_lines, cap_lines;
    int *line_file, *line_no;
} Out;

static int out_line(Out *o, const char *s, size_t n, int file, int line)
{
    if (o->len + n + 2 > o->cap) {
        size_t c = (o->cap ? o->cap * 2 : 4096) + n + 2;
        char *t = realloc(o->text, c);
        if (!t)
            return -1;
        o->text = t;
        o->cap = c;
    }
    memcpy(o->text + o->len, s, n);
    o->len += n;
    o->text[o->len++] = '\n';
    o->text[o->len] = 0;
    if (o->n_lines == o->cap_lines) {
        int c = o->cap_lines ? o->cap_lines * 2 : 256;
        int *a = realloc(o->line_file, sizeof(int) * (size_t)c);
        if (!a)
            return -1;
        o->line_file = a;
        int *b = realloc(o->line_no, sizeof(int) * (size_t)c);
        if (!b)
            return -1;
        o->line_no = b;
        o->cap_lines = c;
    }
    o->line_file[o->n_lines] = file;
    o->line_no[o->n_lines] = line;
    o->n_lines++;
    return 0;
}

static int expand(ShaderSource *src, Out *o, const char *file, int depth, const char *from,
                  int from_line)
{
    if (depth > MAX_DEPTH) {
        char shown[1280];
        display_name(shown, sizeof(shown), from);
        sc_set_error("%s:%d: includes nested too deep (cycle?)", shown, from_line);
        return -1;
    }
    if (src->n_files == (int)(sizeof(src->files) / sizeof(src->files[0]))) {
        sc_set_error("%s: too many shader includes", file);
        return -1;
    }
    int fi = src->n_files++;
    snprintf(src->files[fi], sizeof(src->files[fi]), "%s", file);
    size_t len;
    char *text = read_file(file, &len);
    if (!text) {
        if (from) {
            char msg[600], shown[1280];
            snprintf(msg, sizeof(msg), "%s", sc_last_error());
            display_name(shown, sizeof(shown), from);
            sc_set_error("%s:%d: include: %s", shown, from_line, msg);
        }
        return -1;
    }
    int line = 0, rc = 0;
    char *p = text;
    while (*p && rc == 0) {
        char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && p[n - 1] == '\r')
            n--;
        line++;
        const char *q = p;
        while (q < p + n && isspace((unsigned char)*q))
            q++;
        if ((size_t)(p + n - q) > 8 && !strncmp(q, "#include", 8)) {
            const char *a = strchr(q, '"');
            const char *b = a ? memchr(a + 1, '"', (size_t)(p + n - a - 1)) : NULL;
            if (!a || !b || b - a - 1 <= 0 || b - a - 1 >= 127) {
                char shown[1280];
                display_name(shown, sizeof(shown), file);
                sc_set_error("%s:%d: malformed #include (want #include \"file\")", shown, line);
                rc = -1;
                break;
            }
            char inc[128];
            memcpy(inc, a + 1, (size_t)(b - a - 1));
            inc[b - a - 1] = 0;
            if (strstr(inc, "..") || inc[0] == '/') {
                char shown[1280];
                display_name(shown, sizeof(shown), file);
                sc_set_error("%s:%d: include must name a file in the shader folder", shown, line);
                rc = -1;
                break;
            }
            rc = expand(src, o, inc, depth + 1, src->files[fi], line);
        } else if (out_line(o, p, n, fi, line)) {
            sc_set_error("%s: out of memory", file);
            rc = -1;
        }
        if (!e)
            break;
        p = e + 1;
    }
    free(text);
    return rc;
}

int shader_source_load(ShaderSource *src, const char *file)
{
    memset(src, 0, sizeof(*src));
    Out o = {0};
    int rc = expand(src, &o, file, 0, NULL, 0);
    src->text = o.text;
    src->n_lines = o.n_lines;
    src->line_file = o.line_file;
    src->line_no = o.line_no;
    if (rc) {
        shader_source_free(src);
        return -1;
    }
    return 0;
}

void shader_source_free(ShaderSource *src)
{
    free(src->text);
    free(src->line_file);
    free(src->line_no);
    memset(src, 0, sizeof(*src));
}

/* Finds the driver's line number in one log line; returns it and where the message starts. */
static int parse_log_line(const char *s, const char **msg)
{
    int src_no, line, col, k = 0;
    /* Mesa: "0:12(5): error: ..." */
    if (sscanf(s, "%d:%d(%d): %n", &src_no, &line, &col, &k) == 3 && k > 0) {
        *msg = s + k;
        return line;
    }
    k = 0;
    /* Intel/AMD: "ERROR: 0:12: ..." */
    if (sscanf(s, "ERROR: %d:%d: %n", &src_no, &line, &k) == 2 && k > 0) {
        *msg = s + k;
        return line;
    }
    k = 0;
    if (sscanf(s, "WARNING: %d:%d: %n", &src_no, &line, &k) == 2 && k > 0) {
        *msg = s + k;
        return line;
    }
    k = 0;
    /* NVIDIA: "0(12) : error C0000: ..." */
    if (sscanf(s, "%d(%d) : %n", &src_no, &line, &k) == 2 && k > 0) {
        *msg = s + k;
        return line;
    }
    *msg = s;
    return -1;
}

void shader_map_log(const ShaderSource *src, const char *log, char *buf, size_t n)
{
    /* Report the first line that mentions an error (else the first non-empty line). */
    const char *pick = NULL, *p = log;
    while (p && *p) {
        while (*p == '\n' || *p == '\r' || *p == ' ')
            p++;
        if (!*p)
            break;
        if (!pick)
            pick = p;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        for (size_t i = 0; i + 5 <= len; i++)
            if (!strncmp(p + i, "error", 5) || !strncmp(p + i, "ERROR", 5)) {
                pick = p;
                p = NULL;
                break;
            }
        if (p)
            p = e;
    }
    char one[512] = "no message from the driver";
    if (pick) {
        size_t len = strcspn(pick, "\r\n");
        if (len >= sizeof(one))
            len = sizeof(one) - 1;
        memcpy(one, pick, len);
        one[len] = 0;
    }
    const char *msg;
    int line = parse_log_line(one, &msg);
    char shown[1280];
    if (line >= 1 && line <= src->n_lines) {
        display_name(shown, sizeof(shown), src->files[src->line_file[line - 1]]);
        snprintf(buf, n, "%s:%d: %s", shown, src->line_no[line - 1], msg);
    } else {
        display_name(shown, sizeof(shown), src->n_files ? src->files[0] : "?");
        snprintf(buf, n, "%s: %s", shown, msg);
    }
}

static GLuint compile(const char *file, GLenum type)
{
    ShaderSource src;
    if (shader_source_load(&src, file))
        return 0;
    GLuint sh = glCreateShader(type);
    const char *text = src.text;
    glShaderSource(sh, 1, &text, NULL);
    glCompileShader(sh);
    GLint ok = 0;
    glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[4096] = "", msg[1024];
        glGetShaderInfoLog(sh, sizeof(log), NULL, log);
        shader_map_log(&src, log, msg, sizeof(msg));
        sc_set_error("%s", msg);
        glDeleteShader(sh);
        sh = 0;
    }
    shader_source_free(&src);
    return sh;
}

unsigned shader_program_load(const char *name)
{
    char vf[160], ff[160];
    snprintf(vf, sizeof(vf), "%s.vert.glsl", name);
    snprintf(ff, sizeof(ff), "%s.frag.glsl", name);
    GLuint vs = compile(vf, GL_VERTEX_SHADER);
    if (!vs)
        return 0;
    GLuint fs = compile(ff, GL_FRAGMENT_SHADER);
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    GLuint prog = glCreateProgram();
    glAttachShader(prog, vs);
    glAttachShader(prog, fs);
    glLinkProgram(prog);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(prog, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[4096] = "", shown[1280];
        glGetProgramInfoLog(prog, sizeof(log), NULL, log);
        log[strcspn(log, "\r\n")] = 0;
        display_name(shown, sizeof(shown), ff);
        sc_set_error("%s: link error: %s", shown, log[0] ? log : "no message from the driver");
        glDeleteProgram(prog);
        return 0;
    }
    return prog;
}
