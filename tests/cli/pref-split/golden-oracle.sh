# The cases of pref-split run again with pref-split being golden_oracle.py,
# a Python version of the rule of pref-split(1) (not of the C code): what
# they print must be what their committed .stdout files say.  atomic shows
# which shard each record is in (cat of the shards in order), bad-records
# which side, zstd the union of the shards and the side of --test 1.  So a
# wrong output regenerated into one of those files (PK_REGEN) makes this
# case print DIFFERENT for it.
python3 "$CASEDIR/../goldenlib.py" pref-split "$CASEDIR/golden_oracle.py" \
	atomic bad-records zstd
