# Side files pref-ches must refuse, each with a message naming the
# problem and exit status 2; files written by tensorio.py.
python3 - <<END
import struct, sys
sys.path.insert(0, "$CASEDIR")
import tensorio as T
rows = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
T.write_npy("good.npy", rows)
open("magic.npy", "wb").write(b"NUMPY!" + T.npy_bytes(rows)[6:])
T.write_npy("object.npy", [], descr="|O", shape=(3, 2))
T.write_npy("fortran.npy", rows, fortran=True)
T.write_npy("big.npy", rows, descr=">f4")
T.write_npy("int16.npy", rows, descr="<i2", shape=(3, 2))
T.write_npy("wide.npy", [[1.0, 2.0, 3.0]] * 3)
T.write_npy("four.npy", rows + [[7.0, 8.0]])
open("truncated.npy", "wb").write(T.npy_bytes(rows)[:-4])
open("long.npy", "wb").write(T.npy_bytes(rows)[:-8] + b"\0" * 16)
T.write_npy("huge-header.npy", rows, version=2, pad_to=131072)
T.write_npy("three-d.npy", [1.0] * 12, shape=(3, 2, 2))
T.write_npy("lens2d.npy", [[1, 2]] * 3, descr="<i8")
T.write_npy("lens.npy", [1, 2, 3], descr="<i8")
good = T.safetensors_bytes({"chosen": ("F32", rows), "rejected": ("F32", rows)})
open("good.st", "wb").write(good)
open("truncated.st", "wb").write(good[:-4])
open("huge-header.st", "wb").write(struct.pack("<Q", 1 << 40) + b"{}")
open("magic.st", "wb").write(struct.pack("<Q", 5) + b"hello")
open("u8.st", "wb").write(T.safetensors_bytes({"chosen": ("F32", rows)}).replace(b'"F32"', b'"U8" '))
T.write_safetensors("norejected.st", {"chosen": ("F32", rows)})
T.write_safetensors("onelen.st", {"chosen": ("F32", rows), "rejected": ("F32", rows), "len_chosen": ("I64", [1, 2, 3])})
END
printf '{"chosen":"a","rejected":"b"}\n{"chosen":"c","rejected":"d"}\n{"chosen":"e","rejected":"f"}\n' >three.jsonl
head -n 2 three.jsonl >two.jsonl
cat three.jsonl two.jsonl >five.jsonl
t() {
	echo "--embeddings $1 $2"
	pref-ches --metric ches --embeddings "$1" "$2" >/dev/null
	echo "exit $?"
}
t npy=good.npy,good.npy three.jsonl
t npy=magic.npy,good.npy three.jsonl
t npy=good.npy,object.npy three.jsonl
t npy=fortran.npy,good.npy three.jsonl
t npy=big.npy,good.npy three.jsonl
t npy=int16.npy,good.npy three.jsonl
t npy=good.npy,wide.npy three.jsonl
t npy=good.npy,four.npy three.jsonl
t npy=truncated.npy,good.npy three.jsonl
t npy=long.npy,good.npy three.jsonl
t npy=huge-header.npy,good.npy three.jsonl
t npy=three-d.npy,good.npy three.jsonl
t npy=good.npy,good.npy,lens2d.npy,lens2d.npy three.jsonl
t npy=good.npy,good.npy,lens.npy three.jsonl
t npy=missing.npy,good.npy three.jsonl
t npy=good.npy,good.npy two.jsonl
t npy=good.npy,good.npy five.jsonl
t safetensors=good.st three.jsonl
t safetensors=truncated.st three.jsonl
t safetensors=huge-header.st three.jsonl
t safetensors=magic.st three.jsonl
t safetensors=u8.st three.jsonl
t safetensors=norejected.st three.jsonl
t safetensors=onelen.st three.jsonl
echo "ln-ches without any lengths"
pref-ches --embeddings npy=good.npy,good.npy three.jsonl
echo "exit $?"
echo "-o is not written on an error"
pref-ches --metric ches --embeddings npy=good.npy,good.npy -o out.jsonl five.jsonl
echo "exit $?"
if test -e out.jsonl; then echo "out.jsonl exists"; fi
