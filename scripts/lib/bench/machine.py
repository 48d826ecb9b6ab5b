"""The machine a run happens on: its CPU, what other processes used of it meanwhile, the
checkout's commit and the versions of the tools the modules were built with."""
import datetime
import glob
import os
import platform
import resource
import subprocess

from paths import CACHE, ROOT


def machine_busy_seconds():
    """CPU time every process on the machine has used since boot, from /proc/stat; None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    """CPU time this process and its finished children (the workers) have used."""
    return sum(usage.ru_utime + usage.ru_stime for usage in
               (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def other_cpu_share(busy_seconds, own_seconds, wall_seconds, cpus):
    """The share of the machine's CPU time that processes other than the benchmark used during it.

    busy_seconds: CPU time all processes used over the run (from /proc/stat); own_seconds: what
    the benchmark and its workers used; None when unknown."""
    if busy_seconds is None or not wall_seconds or not cpus:
        return None
    return max(0.0, busy_seconds - own_seconds) / (wall_seconds * cpus)


def git_commit():
    """The checkout's commit, with '+dirty' when the tree has changes; None outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (or what platform knows)."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def peer_versions(soabis):
    """Versions of the tools the peers were built with, as far as the build cache tells cheaply."""
    versions = {}
    crates = os.path.join(CACHE, "peers", "debian-crates", "crates.txt")
    try:
        with open(crates) as listing:
            for line in listing:  # "pyo3 0.28.2 librust-pyo3-dev 0.28.2-2"
                parts = line.split()
                if len(parts) >= 4 and parts[0] == "pyo3":
                    versions["pyo3"] = f"{parts[1]} (Debian {parts[2]} {parts[3]})"
    except OSError:
        pass
    for soabi in soabis:
        for tool, pattern in (("cython", "[Cc]ython-*.dist-info"), ("nanobind", "nanobind-*.dist-info")):
            found = glob.glob(os.path.join(CACHE, f"venv-peers-{soabi}", "lib", "python*", "site-packages", pattern))
            if found:
                versions[f"{tool} ({soabi})"] = os.path.basename(found[0])[len(f"{tool}-"):-len(".dist-info")]
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True, timeout=30)
        versions["swift"] = (swift.stdout or swift.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        pass
    return versions


def machine_info(interpreters):
    """Date, CPU, commit, interpreter and peer versions, for the report and the JSON."""
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(), "cpu_model": cpu_model(), "platform": platform.platform(),
        "git_commit": git_commit(),
        "interpreters": {label: entry["info"] for label, entry in interpreters.items()},
        "peers": peer_versions([entry["info"]["soabi"] for entry in interpreters.values()]),
    }
