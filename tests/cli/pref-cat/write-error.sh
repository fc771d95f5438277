# A failing write (disk full) is exit 2 with a message.
printf '{"a":1}\n' | pref-cat > /dev/full
