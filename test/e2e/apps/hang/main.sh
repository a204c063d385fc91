# What a smoke container may reach: its network interfaces, its memory, swap and process limits
# (cgroup v2 files, else v1's).
echo "net: $(ls /sys/class/net | tr '\n' ' ')"
echo "memory: $(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
echo "swap: $(cat /sys/fs/cgroup/memory.swap.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes)"
echo "pids: $(cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max)"
