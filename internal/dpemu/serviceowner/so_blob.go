package serviceowner

import (
	"encoding/binary"
	"errors"
	"io"
)

// Blob is the deterministic content of an emulated attachment: size bytes derived from seed,
// generated on the fly in constant memory. Byte i depends only on (seed, i), so any range can
// be produced directly (Range requests) and a test can recompute the expected bytes with
// NewBlob(seed, size). Blob implements io.ReadSeeker and io.ReaderAt.
type Blob struct {
	seed uint64
	size int64
	off  int64
}

// NewBlob returns the content of an attachment with the given seed and size.
func NewBlob(seed uint64, size int64) *Blob { return &Blob{seed: seed, size: max(size, 0)} }

// Size returns the blob's length in bytes.
func (b *Blob) Size() int64 { return b.size }

// word returns the k-th 8-byte word: SplitMix64 of (seed, k), a fast counter-mode generator.
func (b *Blob) word(k uint64) uint64 {
	z := b.seed + (k+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// ReadAt fills p with the bytes at off.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("serviceowner: blob: negative offset")
	}
	if off >= b.size {
		return 0, io.EOF
	}
	n := len(p)
	if rem := b.size - off; int64(n) > rem {
		n = int(rem)
	}
	out := p[:n]
	var buf [8]byte
	// Leading partial word.
	if r := off % 8; r != 0 {
		binary.LittleEndian.PutUint64(buf[:], b.word(uint64(off/8)))
		c := copy(out, buf[r:])
		out, off = out[c:], off+int64(c)
	}
	k := uint64(off / 8)
	for len(out) >= 8 {
		binary.LittleEndian.PutUint64(out, b.word(k))
		out, k = out[8:], k+1
	}
	if len(out) > 0 {
		binary.LittleEndian.PutUint64(buf[:], b.word(k))
		copy(out, buf[:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Read reads from the current offset.
func (b *Blob) Read(p []byte) (int, error) {
	n, err := b.ReadAt(p, b.off)
	b.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// Seek sets the offset for the next Read.
func (b *Blob) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, errors.New("serviceowner: blob: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("serviceowner: blob: negative position")
	}
	b.off = offset
	return offset, nil
}
