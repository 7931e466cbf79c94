/* A Hyperscan block-mode database whose scan returns every match at once, for the compiled build.
 *
 * The `hyperscan` package calls back into Python for each match (a tuple of five arguments and
 * the interpreter's lock every time); here matches are gathered in a C array and handed over as
 * one list (`scan`), or read as kg/extract/scan.py's `scan` reads them, into the spans of each
 * kind of cue (`cues`, once `read_cues` has told it how each pattern is read). Built and linked
 * against the system's libhs (Debian: libhyperscan-dev) by setup.py when PAPERS_KG_COMPILE=1;
 * kg/extract/hs.py uses it when it is there. The interpreter's lock is held while scanning, so one
 * database's scratch space is never used by two threads at once. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <hs/hs.h>

/* Where a match's start is, as kg/extract/scan.py names them. */
enum { TRACKED = 0, FIXED = 1, OPEN = 2, WORD = 3, NAME_RUN = 4, ALNUM_RUN = 5 };

typedef struct {
    int start;  /* one of the above */
    int width;
    int word;   /* a whole-word cue: never right after a letter, digit, "-" or "_" */
    int group;  /* the first pattern of the rule pattern it spells a word of, or -1 */
    int kind;   /* index into Database.kinds */
} Cue;

typedef struct {
    PyObject_HEAD
    hs_database_t *database;
    hs_scratch_t *scratch;
    Cue *cues;         /* per pattern id, once `read_cues` was called */
    Py_ssize_t count;
    PyObject *kinds;   /* tuple of the kinds' names */
} Database;

typedef struct {
    unsigned long long *items; /* id, start, end of each match, one after another */
    size_t used;
    size_t size;
    int out_of_memory;
} Found;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                    void *context)
{
    Found *found = context;
    (void)flags;
    if (found->used + 3 > found->size) {
        size_t size = found->size * 2;
        unsigned long long *items = PyMem_Realloc(found->items, size * sizeof *items);
        if (items == NULL) {
            found->out_of_memory = 1;
            return 1; /* stop scanning */
        }
        found->items = items;
        found->size = size;
    }
    found->items[found->used++] = id;
    found->items[found->used++] = from;
    found->items[found->used++] = to;
    return 0;
}

static void Database_dealloc(Database *self)
{
    hs_free_scratch(self->scratch);
    hs_free_database(self->database);
    PyMem_Free(self->cues);
    Py_XDECREF(self->kinds);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Database_init(Database *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"expressions", "ids", "flags", NULL};
    PyObject *expressions_in, *ids_in, *flags_in;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO", keywords, &expressions_in, &ids_in, &flags_in))
        return -1;
    if (self->database != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the database is already compiled");
        return -1;
    }
    PyObject *expressions = PySequence_Fast(expressions_in, "expressions must be a sequence of bytes");
    PyObject *ids = PySequence_Fast(ids_in, "ids must be a sequence of ints");
    PyObject *flags = PySequence_Fast(flags_in, "flags must be a sequence of ints");
    int result = -1;
    const char **patterns = NULL;
    unsigned int *pattern_ids = NULL, *pattern_flags = NULL;
    if (expressions == NULL || ids == NULL || flags == NULL)
        goto done;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(expressions);
    if (count == 0 || PySequence_Fast_GET_SIZE(ids) != count || PySequence_Fast_GET_SIZE(flags) != count) {
        PyErr_SetString(PyExc_ValueError, "expressions, ids and flags must be non-empty and of one length");
        goto done;
    }
    patterns = PyMem_Malloc(count * sizeof *patterns);
    pattern_ids = PyMem_Malloc(count * sizeof *pattern_ids);
    pattern_flags = PyMem_Malloc(count * sizeof *pattern_flags);
    if (patterns == NULL || pattern_ids == NULL || pattern_flags == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        patterns[i] = PyBytes_AsString(PySequence_Fast_GET_ITEM(expressions, i));
        pattern_ids[i] = (unsigned int)PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(ids, i));
        pattern_flags[i] = (unsigned int)PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(flags, i));
        if (PyErr_Occurred())
            goto done;
    }
    hs_compile_error_t *error = NULL;
    if (hs_compile_multi(patterns, pattern_flags, pattern_ids, (unsigned int)count, HS_MODE_BLOCK, NULL,
                         &self->database, &error) != HS_SUCCESS) {
        PyErr_Format(PyExc_ValueError, "Hyperscan cannot compile expression %d: %s", error->expression,
                     error->message);
        hs_free_compile_error(error);
        goto done;
    }
    if (hs_alloc_scratch(self->database, &self->scratch) != HS_SUCCESS) {
        PyErr_SetString(PyExc_MemoryError, "Hyperscan could not allocate scratch space");
        goto done;
    }
    result = 0;
done:
    PyMem_Free(patterns);
    PyMem_Free(pattern_ids);
    PyMem_Free(pattern_flags);
    Py_XDECREF(expressions);
    Py_XDECREF(ids);
    Py_XDECREF(flags);
    return result;
}

/* Scan `data` into `found` (freed by the caller, also on failure); 0, or -1 with an exception set. */
static int gather(Database *self, PyObject *data, Found *found, const unsigned char **bytes, Py_ssize_t *length)
{
    found->items = NULL;
    found->used = found->size = 0;
    found->out_of_memory = 0;
    if (self->database == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the database was not compiled");
        return -1;
    }
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "data must be bytes");
        return -1;
    }
    *bytes = (const unsigned char *)PyBytes_AS_STRING(data);
    *length = PyBytes_GET_SIZE(data);
    if (*length > UINT_MAX) {
        PyErr_SetString(PyExc_ValueError, "Hyperscan scans at most 4 GiB at once");
        return -1;
    }
    found->size = 384;
    found->items = PyMem_Malloc(found->size * sizeof(unsigned long long));
    if (found->items == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    hs_error_t status = hs_scan(self->database, (const char *)*bytes, (unsigned int)*length, 0, self->scratch,
                                on_match, found);
    if (found->out_of_memory) {
        PyErr_NoMemory();
        return -1;
    }
    if (status != HS_SUCCESS) {
        PyErr_Format(PyExc_RuntimeError, "Hyperscan scan failed with error %d", status);
        return -1;
    }
    return 0;
}

static PyObject *Database_scan(Database *self, PyObject *data)
{
    Found found;
    const unsigned char *bytes;
    Py_ssize_t length;
    PyObject *matches = NULL;
    if (gather(self, data, &found, &bytes, &length) == 0 && (matches = PyList_New((Py_ssize_t)found.used)) != NULL) {
        for (size_t i = 0; i < found.used; i++) {
            PyObject *number = PyLong_FromUnsignedLongLong(found.items[i]);
            if (number == NULL) {
                Py_CLEAR(matches);
                break;
            }
            PyList_SET_ITEM(matches, (Py_ssize_t)i, number);
        }
    }
    PyMem_Free(found.items);
    return matches;
}

static PyObject *Database_read_cues(Database *self, PyObject *args)
{
    PyObject *starts, *widths, *words, *groups, *kinds, *names;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!", &PyList_Type, &starts, &PyList_Type, &widths, &PyList_Type, &words,
                          &PyList_Type, &groups, &PyList_Type, &kinds, &PyTuple_Type, &names))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(starts);
    if (PyList_GET_SIZE(widths) != count || PyList_GET_SIZE(words) != count || PyList_GET_SIZE(groups) != count
        || PyList_GET_SIZE(kinds) != count) {
        PyErr_SetString(PyExc_ValueError, "starts, widths, words, groups and kinds must be of one length");
        return NULL;
    }
    Cue *cues = PyMem_Calloc(count ? count : 1, sizeof *cues);
    if (cues == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < count; i++) {
        cues[i].start = (int)PyLong_AsLong(PyList_GET_ITEM(starts, i));
        cues[i].width = (int)PyLong_AsLong(PyList_GET_ITEM(widths, i));
        cues[i].word = PyObject_IsTrue(PyList_GET_ITEM(words, i));
        cues[i].group = (int)PyLong_AsLong(PyList_GET_ITEM(groups, i));
        cues[i].kind = (int)PyLong_AsLong(PyList_GET_ITEM(kinds, i));
        if (PyErr_Occurred() || cues[i].start < TRACKED || cues[i].start > ALNUM_RUN || cues[i].kind < 0
            || cues[i].kind >= PyTuple_GET_SIZE(names) || cues[i].group >= count) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "cue %zd is out of range", i);
            PyMem_Free(cues);
            return NULL;
        }
    }
    PyMem_Free(self->cues);
    Py_XDECREF(self->kinds);
    self->cues = cues;
    self->count = count;
    Py_INCREF(names);
    self->kinds = names;
    Py_RETURN_NONE;
}

static int is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'); }
static int is_word(unsigned char c) { return is_alnum(c) || c == '_'; }
static int is_name(unsigned char c) { return is_alnum(c) || c == '.' || c == '+' || c == '/' || c == '-'; }

static Py_ssize_t run_start(const unsigned char *data, Py_ssize_t end, int (*in_run)(unsigned char))
{
    while (end > 0 && in_run(data[end - 1]))
        end--;
    return end;
}

typedef struct {
    Py_ssize_t start, end, number;
    int pattern;
} Span;

static int by_position(const void *a, const void *b)
{
    const Span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

/* Claim (end, group) in an open-addressing set of `size` slots (a power of two); 0 if already there. */
static int claim(unsigned long long *slots, size_t size, Py_ssize_t end, int group)
{
    unsigned long long key = ((unsigned long long)end << 32 | (unsigned int)group) + 1;
    size_t at = (size_t)(key * 0x9E3779B97F4A7C15ull) & (size - 1);
    while (slots[at] != 0) {
        if (slots[at] == key)
            return 0;
        at = (at + 1) & (size - 1);
    }
    slots[at] = key;
    return 1;
}

/* The spans of each kind of cue, as kg/extract/scan.py's `scan` makes them from the same matches. */
static PyObject *Database_cues(Database *self, PyObject *args)
{
    PyObject *data, *text;
    if (!PyArg_ParseTuple(args, "SU", &data, &text))
        return NULL;
    if (self->cues == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "read_cues was not called");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(text) != PyBytes_GET_SIZE(data)) {
        PyErr_SetString(PyExc_ValueError, "data and text must be of one length");
        return NULL;
    }
    Found found;
    const unsigned char *bytes;
    Py_ssize_t length;
    Span *spans = NULL;
    unsigned long long *claimed = NULL;
    PyObject **lists = NULL, *result = NULL;
    Py_ssize_t *last_start = NULL, *last_end = NULL;
    int *order = NULL;
    Py_ssize_t kinds = PyTuple_GET_SIZE(self->kinds), ordered = 0, kept = 0;
    if (gather(self, data, &found, &bytes, &length) != 0)
        goto done;
    size_t matches = found.used / 3, slots = 16;
    while (slots < 2 * matches)
        slots *= 2;
    spans = PyMem_Malloc((matches ? matches : 1) * sizeof *spans);
    claimed = PyMem_Calloc(slots, sizeof *claimed);
    lists = PyMem_Calloc(kinds ? kinds : 1, sizeof *lists);
    last_start = PyMem_Malloc((kinds ? kinds : 1) * sizeof *last_start);
    last_end = PyMem_Malloc((kinds ? kinds : 1) * sizeof *last_end);
    order = PyMem_Malloc((kinds ? kinds : 1) * sizeof *order);
    if (spans == NULL || claimed == NULL || lists == NULL || last_start == NULL || last_end == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t i = 0; i < matches; i++) {
        unsigned long long id = found.items[3 * i];
        if (id >= (unsigned long long)self->count) {
            PyErr_Format(PyExc_ValueError, "pattern %llu has no cue", id);
            goto done;
        }
        const Cue *cue = &self->cues[id];
        Py_ssize_t start = (Py_ssize_t)found.items[3 * i + 1], end = (Py_ssize_t)found.items[3 * i + 2];
        switch (cue->start) {
        case FIXED:
            start = end - cue->width;
            break;
        case OPEN:
            start = end - cue->width;
            while (end < length && is_word(bytes[end]))
                end++;
            break;
        case WORD:
            start = run_start(bytes, end, is_word);
            break;
        case ALNUM_RUN:
            start = run_start(bytes, end - cue->width, is_alnum);
            break;
        case NAME_RUN: {
            Py_ssize_t head = end - cue->width;
            start = run_start(bytes, head, is_name);
            while (start < head && !is_alnum(bytes[start]))
                start++;
            if (start == head)
                continue; /* no name before the head */
            break;
        }
        }
        spans[kept].start = start;
        spans[kept].end = end;
        spans[kept].number = (Py_ssize_t)i;
        spans[kept].pattern = (int)id;
        kept++;
    }
    qsort(spans, (size_t)kept, sizeof *spans, by_position);
    for (Py_ssize_t i = 0; i < kept; i++) {
        const Span *span = &spans[i];
        const Cue *cue = &self->cues[span->pattern];
        if (cue->group >= 0 && !claim(claimed, slots, span->end, cue->group))
            continue; /* one of the words a rule pattern spells: the leftmost of those ending here */
        if (cue->word && span->start > 0) {
            Py_UCS4 before = PyUnicode_READ_CHAR(text, span->start - 1);
            if (before == '-' || before == '_' || Py_UNICODE_ISALNUM(before))
                continue; /* inside a word or a hyphenated compound */
        }
        int kind = cue->kind;
        if (lists[kind] != NULL && last_start[kind] == span->start && last_end[kind] == span->end)
            continue; /* in start order, a span found twice comes twice in a row */
        if (lists[kind] == NULL) {
            if ((lists[kind] = PyList_New(0)) == NULL)
                goto done;
            order[ordered++] = kind;
        }
        PyObject *pair = Py_BuildValue("(nn)", span->start, span->end);
        if (pair == NULL || PyList_Append(lists[kind], pair) != 0) {
            Py_XDECREF(pair);
            goto done;
        }
        Py_DECREF(pair);
        last_start[kind] = span->start;
        last_end[kind] = span->end;
    }
    if ((result = PyDict_New()) == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < ordered; i++) {
        if (PyDict_SetItem(result, PyTuple_GET_ITEM(self->kinds, order[i]), lists[order[i]]) != 0) {
            Py_CLEAR(result);
            break;
        }
    }
done:
    if (lists != NULL)
        for (Py_ssize_t i = 0; i < kinds; i++)
            Py_XDECREF(lists[i]);
    PyMem_Free(found.items);
    PyMem_Free(spans);
    PyMem_Free(claimed);
    PyMem_Free(lists);
    PyMem_Free(last_start);
    PyMem_Free(last_end);
    PyMem_Free(order);
    return result;
}

static PyMethodDef Database_methods[] = {
    {"scan", (PyCFunction)Database_scan, METH_O,
     "scan(data) -> [id, start, end, id, start, end, ...] of every match in the bytes `data`."},
    {"read_cues", (PyCFunction)Database_read_cues, METH_VARARGS,
     "read_cues(starts, widths, words, groups, kinds, names): how `cues` reads each pattern's matches."},
    {"cues", (PyCFunction)Database_cues, METH_VARARGS,
     "cues(data, text) -> {kind: [(start, end), ...]}, as kg.extract.scan.scan makes them."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject DatabaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kg.extract._hsmatches.Database",
    .tp_basicsize = sizeof(Database),
    .tp_dealloc = (destructor)Database_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Database(expressions, ids, flags): Hyperscan expressions (bytes) compiled for block scanning.",
    .tp_methods = Database_methods,
    .tp_init = (initproc)Database_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_hsmatches", "Hyperscan scans that return every match at once.", -1, NULL,
};

PyMODINIT_FUNC PyInit__hsmatches(void)
{
    if (hs_valid_platform() != HS_SUCCESS) {
        PyErr_SetString(PyExc_ImportError, "this CPU cannot run Hyperscan (it needs SSSE3)");
        return NULL;
    }
    if (PyType_Ready(&DatabaseType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&DatabaseType);
    if (PyModule_AddObject(m, "Database", (PyObject *)&DatabaseType) < 0) {
        Py_DECREF(&DatabaseType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
