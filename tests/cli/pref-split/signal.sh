# A fatal signal while the parts are being written removes their
# temporary files: nothing is left but the input.
mkfifo fifo
pref-split --shards 3 -o s fifo &
pid=$!
exec 3>fifo
printf '{"prompt":"a"}\n' >&3
# wait (at most 10 s) until the three temporary files exist
i=0
while [ "$(ls -A | grep -c '^\.s-')" != 3 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ls -A
# (the shell may say "Terminated": not what is tested)
{
	kill -TERM $pid
	wait $pid
	echo "exit $?"
} 2>/dev/null
exec 3>&-
ls -A
