/* A Hyperscan block-mode database whose scan returns every match at once, for the compiled build.
 *
 * The `hyperscan` package calls back into Python for each match (a tuple of five arguments and
 * the interpreter's lock every time); here matches are gathered in a C array and handed over as
 * one list. Built and linked against the system's libhs (Debian: libhyperscan-dev) by setup.py
 * when PAPERS_KG_COMPILE=1; kg/extract/hs.py uses it when it is there. The interpreter's lock is
 * held while scanning, so one database's scratch space is never used by two threads at once. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <hs/hs.h>

typedef struct {
    PyObject_HEAD
    hs_database_t *database;
    hs_scratch_t *scratch;
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

static PyObject *Database_scan(Database *self, PyObject *data)
{
    if (self->database == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the database was not compiled");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) != 0)
        return NULL;
    if (view.len > UINT_MAX) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "Hyperscan scans at most 4 GiB at once");
        return NULL;
    }
    Found found = {PyMem_Malloc(384 * sizeof(unsigned long long)), 0, 384, 0};
    if (found.items == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    hs_error_t status = hs_scan(self->database, view.buf, (unsigned int)view.len, 0, self->scratch, on_match,
                                &found);
    PyBuffer_Release(&view);
    PyObject *matches = NULL;
    if (found.out_of_memory)
        PyErr_NoMemory();
    else if (status != HS_SUCCESS)
        PyErr_Format(PyExc_RuntimeError, "Hyperscan scan failed with error %d", status);
    else if ((matches = PyList_New((Py_ssize_t)found.used)) != NULL) {
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

static PyMethodDef Database_methods[] = {
    {"scan", (PyCFunction)Database_scan, METH_O,
     "scan(data) -> [id, start, end, id, start, end, ...] of every match in the bytes `data`."},
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
