"""The kernel reports run in: always this interpreter's ipykernel, without its plain-TCP
notice, whatever kernelspecs the user's Jupyter has registered.

Example:
    >>> import logging
    >>> notice = logging.LogRecord("IPKernelApp", logging.WARNING, "", 0, PLAIN_TCP_NOTICE,
    ...                            None, None)
    >>> PlainTcpNoticeFilter().filter(notice)
    False
"""

from __future__ import annotations

import logging

# ipykernel logs this at WARNING on every start over TCP (ipykernel/kernelapp.py,
# IPKernelApp.init_sockets). Our kernel listens on 127.0.0.1 and lives as long as one report;
# the notice only alarms readers of scheduled-job logs. Every other record is kept.
PLAIN_TCP_NOTICE = "Kernel is running over TCP without encryption."


class PlainTcpNoticeFilter(logging.Filter):
    """Drops exactly ipykernel's plain-TCP notice; passes every other record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name == "IPKernelApp"
            and record.levelno == logging.WARNING
            and str(record.msg).startswith(PLAIN_TCP_NOTICE)
        )


def launch_quiet_kernel() -> None:
    """Start ipykernel like ``python -m ipykernel_launcher``, minus the plain-TCP notice."""
    from ipykernel import kernelapp

    logging.getLogger("IPKernelApp").addFilter(PlainTcpNoticeFilter())
    kernelapp.launch_new_instance()


# Like ipykernel_launcher: drop the working directory (the output folder) from sys.path
# before importing anything, so a stray file there cannot shadow a module.
_KERNEL_LAUNCHER = (
    "import sys\n"
    "if sys.path and sys.path[0] in ('', '.'):\n"
    "    del sys.path[0]\n"
    "from callanalytics.report.kernel import launch_quiet_kernel\n"
    "launch_quiet_kernel()\n"
)


def this_python_kernel() -> type:
    """A kernel manager that always starts this interpreter's ipykernel, so reports run
    with the installed package whatever kernelspecs the user's Jupyter has registered."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager

    class ThisPythonKernelManager(KernelManager):
        @property
        def kernel_spec(self) -> KernelSpec:
            spec = get_kernel_dict()
            python = spec["argv"][0]  # this interpreter, as ipykernel_launcher would run
            spec["argv"] = [python, "-c", _KERNEL_LAUNCHER, "-f", "{connection_file}"]
            return KernelSpec(resource_dir="", **spec)

    return ThisPythonKernelManager
