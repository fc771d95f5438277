# Misuse: a message, a hint, exit status 2, nothing read.
for a in "--embeddings=words" "--embeddings=npy=a.npy" "--embeddings=npy=a,b,c,d,e" \
	"--embeddings=safetensors=" "--metric=cosine" "--keep-bottom=1.5" \
	"--keep-bottom=-0.1" "--drop-top=5%" "--max=x" "--max=1 --drop-top=0.1" \
	"--mean" "--token-regex=(" "--embeddings=inline --metric=edit --token-regex=[" ; do
	echo "$a"
	pref-ches $a </dev/null
	echo "exit $?"
done
