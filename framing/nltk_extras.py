"""NLTK imported without loading SciPy's statistics, its sparse matrices and scikit-learn until NLTK uses them.

NLTK's package ``__init__`` imports every subpackage, and some of them import optional
libraries at import time, each in a ``try``/``except ImportError``: ``scipy.stats`` (for
``fisher_exact`` in :mod:`nltk.metrics.association`), ``sklearn.feature_extraction`` and
``sklearn.preprocessing`` (for ``SklearnClassifier``), ``scipy.sparse``, ``sklearn`` and
``sklearn.datasets`` (for the transition parser). framing needs Punkt, which uses none of them,
and loading them cost a command that splits sentences 0.77 s and 80 MB: ``import
nltk.tokenize.punkt`` took 0.88 s after pandas (``scipy.stats`` 0.59 s, scikit-learn 0.19 s,
``scipy.sparse`` 0.09 s), 0.11 s without them.

:func:`defer_nltk_extras` makes the next ``import nltk`` of the process bind, in NLTK's
modules, a stand-in (:class:`Deferred`) for each name NLTK imports from those libraries; a
stand-in imports its library when it is first called or read, and forwards to the real
object, so every NLTK function works as before (``BigramAssocMeasures.fisher`` calls SciPy's
``fisher_exact``). NLTK takes the same branch of each ``try`` as it does with the libraries
installed: a name the library lacks fails to import as it does for NLTK (``scipy.stats`` is
stood in as a module, not a package, so ``from scipy.stats.stats import betai`` fails as it does
with SciPy itself); a module NLTK binds whole (``from scipy import sparse``) is bound to its
stand-in, whose attributes are stand-ins. Only NLTK's own import sees the stand-ins: they are taken out of
``sys.modules`` when it ends, so any later ``import scipy.stats`` is the real one. The
difference left is identity: ``nltk.metrics.association.fisher_exact`` is a stand-in, not
SciPy's function object.

The command line calls it (for itself, its workers and the kernels of ``framing figures``);
importing framing does not, so a session that imports framing gets NLTK as NLTK makes itself.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from contextlib import contextmanager

DEFERRED = {"scipy.stats": False, "scipy.sparse": True, "sklearn": True}
"""The libraries NLTK imports optionally and framing never needs NLTK for, each with whether it
is stood in as a package (its submodules stood in too) or as a module alone."""


class Deferred:
    """Stands for ``module.name``: importing the module on first use, then forwarding every call and
    attribute to the real object.

    Examples
    --------
    >>> from framing.nltk_extras import Deferred
    >>> sqrt = Deferred("math", "sqrt")
    >>> sqrt(16.0), Deferred("math", "pi").real
    (4.0, 3.141592653589793)
    >>> Deferred("os", "path").join("a", "b") == __import__("os").path.join("a", "b")
    True
    """

    __slots__ = ("_module", "_name")

    def __init__(self, module: str, name: str):
        self._module, self._name = module, name

    def resolve(self):
        """The real object (its module imported now if it was not)."""
        module = importlib.import_module(self._module)
        try:
            return getattr(module, self._name)
        except AttributeError:  # a submodule its package does not import itself (sklearn.svm)
            try:
                return importlib.import_module(f"{self._module}.{self._name}")
            except ModuleNotFoundError:
                raise AttributeError(f"module '{self._module}' has no attribute '{self._name}'") from None

    def __call__(self, *args, **kwargs):
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, attr: str):
        return getattr(self.resolve(), attr)

    def __repr__(self) -> str:
        return f"<deferred {self._module}.{self._name}>"


def _stands_in(name: str) -> bool | None:
    """Whether ``name`` is stood in as a package (True), as a module (False), or not at all (None)."""
    for library, package in DEFERRED.items():
        if name == library:
            return package
        if package and name.startswith(library + "."):
            return True
    return None


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """While NLTK's package imports: a module of :data:`DEFERRED` not yet loaded is a stand-in whose
    every public attribute is a :class:`Deferred` of the real module's."""

    def find_spec(self, name, path, target=None):
        package = _stands_in(name)
        if package is None:
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=package)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)

        def __getattr__(attr: str):
            if attr.startswith("__"):  # what the import system asks of a module (__path__, __file__...)
                raise AttributeError(attr)
            return Deferred(spec.name, attr)

        module.__getattr__ = __getattr__
        return module

    def exec_module(self, module):
        pass

    @contextmanager
    def active(self):
        sys.meta_path.insert(0, self)
        try:
            yield
        finally:
            sys.meta_path.remove(self)
            for name in [n for n, m in list(sys.modules.items()) if getattr(m, "__loader__", None) is self]:
                module = sys.modules.pop(name)
                parent, _, child = name.rpartition(".")
                if parent in sys.modules and getattr(sys.modules[parent], child, None) is module:
                    delattr(sys.modules[parent], child)  # the real scipy was given its stand-in .stats


class _Loading(importlib.abc.Loader):
    """NLTK's own loader, run with the stand-ins in place."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = module.__spec__.loader = self.loader  # NLTK sees its own loader
        with _StandIns().active():
            self.loader.exec_module(module)


class _NextNLTK(importlib.abc.MetaPathFinder):
    """Finds ``nltk`` once, as the other finders do, and loads it with the stand-ins in place."""

    def find_spec(self, name, path, target=None):
        if name != "nltk":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loading(spec.loader)
        return spec


def defer_nltk_extras() -> bool:
    """Make this process's first ``import nltk`` leave SciPy's statistics, its sparse matrices and
    scikit-learn unloaded until NLTK uses them (see the module's docstring). Nothing is imported now. Returns whether it
    was set: not when NLTK is imported already, or when it was set before.

    Examples
    --------
    >>> import subprocess, sys
    >>> code = ("from framing.nltk_extras import defer_nltk_extras; defer_nltk_extras(); import sys, nltk; "
    ...         "from nltk.metrics.association import fisher_exact; "
    ...         "print('scipy.stats' in sys.modules, 'sklearn' in sys.modules, fisher_exact)")
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    'False False <deferred scipy.stats.fisher_exact>'
    """
    if "nltk" in sys.modules or any(isinstance(f, _NextNLTK) for f in sys.meta_path):
        return False
    sys.meta_path.insert(0, _NextNLTK())
    return True
