;; Slots of every line of a key-list chunk, for the Redis (policy 0) and Standard (policy 1)
;; policies, CRC16-XMODEM eight bytes per step (slicing-by-8). Same results as
;; src/core/slots/scan.ts (the pure fallback); tests hold the two equal.
;;
;; Why it is shaped like this: with ~25-byte keys the arithmetic is cheap and the cost is branch
;; mispredictions. Visiting the LFs and braces of each 16-byte block one by one runs that loop a
;; different number of times per block; hashing each key as soon as its line ends runs the CRC loop a
;; different number of times per key. Both guess wrong about once per key. So the input is cut into
;; windows of 4 KiB (everything then stays in L1) and each goes through three stages whose only
;; data-dependent branches are rare (on the bench's 1 M keys: ~12 ms instead of ~24 ms):
;;   1. SIMD: a bitmap each of the LFs, `{`s and `}`s of the window (plus 64 bytes past it).
;;   2. Per line: a 64-bit slice of each bitmap, starting at the line, gives the line end (ctz) and
;;      the tag (ctz/clz of masked slices, chosen with select). The key is not hashed yet: its end
;;      and output index go into a queue per length class, ceil(length / 8).
;;   3. Per class: every key of the class takes the same number of 8-byte CRC steps, so the loop
;;      branches are predicted. The key is right-aligned on those 8-byte words and the bytes before
;;      it are zeroed: leading zero bytes leave a CRC with initial value 0 unchanged.
;; Lines longer than the 64-bit slice take a generic path ($longTag, $crc).
;;
;; Memory:
;;   [0, 4096)        CRC tables G0..G7 (u16, G_k at k*512, written by the host): G_k[b] is the CRC
;;                    of byte b followed by k zero bytes.
;;   [4096, 7168)     the window's bitmaps, bit i for byte base+i: LF at 4096, { at 5120, } at 6144.
;;   [7168, 7204)     where each of the 9 queues ends (i32 address).
;;   [8192, 155648)   the queues, class c at 8192 + c*16384: 8-byte entries (key end, out index << 6
;;                    | number of bits to zero in the first word). A window of 4096 bytes holds at
;;                    most 2048 keys (each needs a byte and an LF): 16384 bytes per queue.
;;   [heapBase, ...)  the host's input and output.
(module
  (memory (export "memory") 1)
  (global (export "heapBase") i32 (i32.const 155648))
  ;; Where scan stopped: the end of the input, or the start of a line the host must read itself
  ;; (quoted, or ending in CR); for such a line, slowEnd is its end (the LF or the input end).
  (global $stop (export "stop") (mut i32) (i32.const 0))
  (global $slowEnd (export "slowEnd") (mut i32) (i32.const 0))

  ;; CRC16 of [from, to), any length, for the generic path: the same right-aligned words as the
  ;; per-class loop in $flush (whose copy of the step is inlined: a call per key costs ~10%).
  ;; Reads up to 7 bytes before from (the host keeps input above heapBase).
  (func $crc (param $from i32) (param $to i32) (result i32)
    (local $p i32) (local $m i64) (local $x i64) (local $crc i32) (local $lo i32) (local $hi i32) (local $n i32)
    (local.set $n (i32.sub (local.get $to) (local.get $from)))
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    ;; First word at to - 8*ceil(n/8); its 8*ceil(n/8) - n leading bytes are zeroed.
    (local.set $p (i32.sub (local.get $to) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
    (local.set $m (i64.shl (i64.const -1) (i64.extend_i32_u (i32.shl (i32.sub (local.get $from) (local.get $p)) (i32.const 3)))))
    loop $words
      (local.set $x (i64.and (i64.load (local.get $p)) (local.get $m)))
      (local.set $m (i64.const -1))
      (local.set $lo (i32.wrap_i64 (local.get $x)))
      (local.set $hi (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
      (local.set $crc
        (i32.xor
          (i32.xor
            (i32.xor
              (i32.load16_u offset=3584 (i32.shl (i32.xor (i32.shr_u (local.get $crc) (i32.const 8)) (i32.and (local.get $lo) (i32.const 255))) (i32.const 1)))
              (i32.load16_u offset=3072 (i32.shl (i32.xor (i32.and (local.get $crc) (i32.const 255)) (i32.and (i32.shr_u (local.get $lo) (i32.const 8)) (i32.const 255))) (i32.const 1))))
            (i32.xor
              (i32.load16_u offset=2560 (i32.shl (i32.and (i32.shr_u (local.get $lo) (i32.const 16)) (i32.const 255)) (i32.const 1)))
              (i32.load16_u offset=2048 (i32.shl (i32.shr_u (local.get $lo) (i32.const 24)) (i32.const 1)))))
          (i32.xor
            (i32.xor
              (i32.load16_u offset=1536 (i32.shl (i32.and (local.get $hi) (i32.const 255)) (i32.const 1)))
              (i32.load16_u offset=1024 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 8)) (i32.const 255)) (i32.const 1))))
            (i32.xor
              (i32.load16_u offset=512 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 16)) (i32.const 255)) (i32.const 1)))
              (i32.load16_u (i32.shl (i32.shr_u (local.get $hi) (i32.const 24)) (i32.const 1)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $words (i32.lt_u (local.get $p) (local.get $to)))
    end
    (i32.and (local.get $crc) (i32.const 16383)))

  ;; The end (LF) of the line starting at p; there is one (the host ends the input with an LF).
  (func $lineEnd (param $p i32) (result i32)
    (local $mask i32)
    loop $blocks
      (local.set $mask (i8x16.bitmask (i8x16.eq (v128.load (local.get $p))
        (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
      (if (i32.eqz (local.get $mask)) (then (local.set $p (i32.add (local.get $p) (i32.const 16))) (br $blocks)))
    end
    (i32.add (local.get $p) (i32.ctz (local.get $mask))))

  ;; The bytes to hash of the line [s, e), for the generic path: visits every brace, block by block.
  ;; Redis: the first { and the first } after it, if the tag is not empty. Standard: the last } and
  ;; the last { before it, tag may be empty. Else the whole line.
  (func $longTag (param $policy i32) (param $s i32) (param $e i32) (result i32 i32)
    (local $p i32) (local $q i32) (local $mask i32)
    (local $firstOpen i32) (local $firstClose i32) (local $lastOpen i32) (local $tagOpen i32) (local $tagClose i32)
    (local.set $firstOpen (i32.const -1))
    (local.set $firstClose (i32.const -1))
    (local.set $lastOpen (i32.const -1))
    (local.set $tagOpen (i32.const -1))
    (local.set $p (local.get $s))
    block $done
      loop $blocks
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $mask (i8x16.bitmask (v128.or
          (i8x16.eq (v128.load (local.get $p)) (v128.const i8x16 123 123 123 123 123 123 123 123 123 123 123 123 123 123 123 123))
          (i8x16.eq (v128.load (local.get $p)) (v128.const i8x16 125 125 125 125 125 125 125 125 125 125 125 125 125 125 125 125)))))
        (if (i32.lt_u (i32.sub (local.get $e) (local.get $p)) (i32.const 16))
          (then (local.set $mask (i32.and (local.get $mask) (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $e) (local.get $p))) (i32.const 1))))))
        block $blockDone
          loop $bits
            (br_if $blockDone (i32.eqz (local.get $mask)))
            (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $mask))))
            (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
            (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 123))
              (then
                (if (i32.lt_s (local.get $firstOpen) (i32.const 0)) (then (local.set $firstOpen (local.get $q))))
                (local.set $lastOpen (local.get $q)))
              (else
                (if (i32.and (i32.ge_s (local.get $firstOpen) (i32.const 0)) (i32.lt_s (local.get $firstClose) (i32.const 0)))
                  (then (local.set $firstClose (local.get $q))))
                (local.set $tagOpen (local.get $lastOpen))
                (local.set $tagClose (local.get $q))))
            (br $bits)
          end
        end
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)
      end
    end
    (if (local.get $policy)
      (then
        (if (i32.ge_s (local.get $tagOpen) (i32.const 0))
          (then (return (i32.add (local.get $tagOpen) (i32.const 1)) (local.get $tagClose)))))
      (else
        (if (i32.gt_s (local.get $firstClose) (i32.add (local.get $firstOpen) (i32.const 1)))
          (then (return (i32.add (local.get $firstOpen) (i32.const 1)) (local.get $firstClose))))))
    (local.get $s) (local.get $e))

  ;; Stage 3: hashes every queued key, class by class, writes its slot, empties the queues.
  (func $flush (param $out i32)
    (local $cls i32) (local $qBase i32) (local $q i32) (local $qEnd i32) (local $to i32) (local $meta i32)
    (local $p i32) (local $m i64) (local $x i64) (local $crc i32) (local $lo i32) (local $hi i32)
    ;; Class 0: empty tags (Standard policy, `{}`), slot 0.
    (local.set $q (i32.const 8192))
    (local.set $qEnd (i32.load (i32.const 7168)))
    block $done
      loop $entries
        (br_if $done (i32.ge_u (local.get $q) (local.get $qEnd)))
        (i32.store16 (i32.add (local.get $out) (i32.shl (i32.shr_u (i32.load offset=4 (local.get $q)) (i32.const 6)) (i32.const 1))) (i32.const 0))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $entries)
      end
    end
    (i32.store (i32.const 7168) (i32.const 8192))
    (local.set $cls (i32.const 1))
    loop $classes
      (local.set $qBase (i32.add (i32.const 8192) (i32.shl (local.get $cls) (i32.const 14))))
      (local.set $q (local.get $qBase))
      (local.set $qEnd (i32.load offset=7168 (i32.shl (local.get $cls) (i32.const 2))))
      block $done
        loop $entries
          (br_if $done (i32.ge_u (local.get $q) (local.get $qEnd)))
          (local.set $to (i32.load (local.get $q)))
          (local.set $meta (i32.load offset=4 (local.get $q)))
          ;; cls words ending at the key's end; the first one's leading bytes (before the key) zeroed.
          (local.set $p (i32.sub (local.get $to) (i32.shl (local.get $cls) (i32.const 3))))
          (local.set $m (i64.shl (i64.const -1) (i64.extend_i32_u (i32.and (local.get $meta) (i32.const 63)))))
          (local.set $crc (i32.const 0))
          loop $words
            ;; Slicing-by-8: the CRC so far goes with the first two bytes, the other six are independent.
            (local.set $x (i64.and (i64.load (local.get $p)) (local.get $m)))
            (local.set $m (i64.const -1))
            (local.set $lo (i32.wrap_i64 (local.get $x)))
            (local.set $hi (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
            (local.set $crc
              (i32.xor
                (i32.xor
                  (i32.xor
                    (i32.load16_u offset=3584 (i32.shl (i32.xor (i32.shr_u (local.get $crc) (i32.const 8)) (i32.and (local.get $lo) (i32.const 255))) (i32.const 1)))
                    (i32.load16_u offset=3072 (i32.shl (i32.xor (i32.and (local.get $crc) (i32.const 255)) (i32.and (i32.shr_u (local.get $lo) (i32.const 8)) (i32.const 255))) (i32.const 1))))
                  (i32.xor
                    (i32.load16_u offset=2560 (i32.shl (i32.and (i32.shr_u (local.get $lo) (i32.const 16)) (i32.const 255)) (i32.const 1)))
                    (i32.load16_u offset=2048 (i32.shl (i32.shr_u (local.get $lo) (i32.const 24)) (i32.const 1)))))
                (i32.xor
                  (i32.xor
                    (i32.load16_u offset=1536 (i32.shl (i32.and (local.get $hi) (i32.const 255)) (i32.const 1)))
                    (i32.load16_u offset=1024 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 8)) (i32.const 255)) (i32.const 1))))
                  (i32.xor
                    (i32.load16_u offset=512 (i32.shl (i32.and (i32.shr_u (local.get $hi) (i32.const 16)) (i32.const 255)) (i32.const 1)))
                    (i32.load16_u (i32.shl (i32.shr_u (local.get $hi) (i32.const 24)) (i32.const 1)))))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br_if $words (i32.lt_u (local.get $p) (local.get $to)))
          end
          (i32.store16 (i32.add (local.get $out) (i32.shl (i32.shr_u (local.get $meta) (i32.const 6)) (i32.const 1)))
            (i32.and (local.get $crc) (i32.const 16383)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br $entries)
        end
      end
      (i32.store offset=7168 (i32.shl (local.get $cls) (i32.const 2)) (local.get $qBase))
      (local.set $cls (i32.add (local.get $cls) (i32.const 1)))
      (br_if $classes (i32.le_u (local.get $cls) (i32.const 8)))
    end)

  ;; Writes one i16 slot per non-empty line of [pos, end) to out; returns how many. The input must
  ;; end with an LF (the host appends one) and 80 bytes past end must be readable (stage 1 reads up
  ;; to 64 bytes past a window, in 16-byte blocks). Stops early at a line the host must read itself
  ;; (quoted, or ending in CR).
  (func (export "scan") (param $policy i32) (param $pos i32) (param $end i32) (param $out i32) (result i32)
    (local $count i32) (local $s i32) (local $base i32) (local $winEnd i32) (local $p i32) (local $b i32) (local $v v128)
    (local $off i32) (local $sh i64) (local $lf i64) (local $len i32) (local $e i32) (local $inLine i64) (local $open i64) (local $close i64)
    (local $firstOpen i32) (local $firstClose i32) (local $lastClose i32) (local $opens i64) (local $tag i32)
    (local $from i32) (local $to i32) (local $n i32) (local $cls i32) (local $qa i32)
    ;; Empty queues.
    (local.set $cls (i32.const 0))
    loop $init
      (i32.store offset=7168 (i32.shl (local.get $cls) (i32.const 2)) (i32.add (i32.const 8192) (i32.shl (local.get $cls) (i32.const 14))))
      (local.set $cls (i32.add (local.get $cls) (i32.const 1)))
      (br_if $init (i32.le_u (local.get $cls) (i32.const 8)))
    end
    (local.set $s (local.get $pos))
    block $exit
      loop $windows
        (br_if $exit (i32.ge_u (local.get $s) (local.get $end)))
        ;; The window: lines starting in [base, winEnd).
        (local.set $base (local.get $s))
        (local.set $winEnd (select (local.get $end) (i32.add (local.get $s) (i32.const 4096))
          (i32.lt_u (i32.sub (local.get $end) (local.get $s)) (i32.const 4096))))
        ;; Stage 1: bitmaps of [base, winEnd + 64), 16 bytes per step. Past end they hold garbage,
        ;; but every line starting before end has its LF before end, and bits past it are masked off.
        (local.set $p (local.get $base))
        (local.set $b (i32.const 0))
        loop $blocks
          (local.set $v (v128.load (local.get $p)))
          (i32.store16 offset=4096 (local.get $b) (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
          (i32.store16 offset=5120 (local.get $b) (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 123 123 123 123 123 123 123 123 123 123 123 123 123 123 123 123))))
          (i32.store16 offset=6144 (local.get $b) (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 125 125 125 125 125 125 125 125 125 125 125 125 125 125 125 125))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $b (i32.add (local.get $b) (i32.const 2)))
          (br_if $blocks (i32.lt_u (local.get $p) (i32.add (local.get $winEnd) (i32.const 64))))
        end
        ;; Stage 2: one iteration per line.
        block $windowDone
          loop $lines
            (br_if $windowDone (i32.ge_u (local.get $s) (local.get $winEnd)))
            ;; Bits s..s+63-sh of each bitmap (sh = off & 7) as bits 0.., the bits above them zero.
            (local.set $off (i32.sub (local.get $s) (local.get $base)))
            (local.set $sh (i64.extend_i32_u (i32.and (local.get $off) (i32.const 7))))
            (local.set $off (i32.shr_u (local.get $off) (i32.const 3)))
            (local.set $lf (i64.shr_u (i64.load offset=4096 (local.get $off)) (local.get $sh)))
            (if (i64.eqz (local.get $lf))
              ;; No LF in the next 57+ bytes: a long line, found by $lineEnd.
              (then (local.set $e (call $lineEnd (local.get $s))))
              (else (local.set $e (i32.add (local.get $s) (i32.wrap_i64 (i64.ctz (local.get $lf)))))))
            (local.set $len (i32.sub (local.get $e) (local.get $s)))
            ;; Empty, quoted or ending in CR: rare, so a branch.
            (if (i32.or (i32.eqz (local.get $len))
                  (i32.or (i32.eq (i32.load8_u (local.get $s)) (i32.const 34))
                          (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))))
              (then
                ;; Empty lines and blank CRLF lines are skipped; anything else goes to the host.
                (if (i32.and (i32.ne (local.get $len) (i32.const 0))
                      (i32.eqz (i32.and (i32.eq (local.get $len) (i32.const 1)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 13)))))
                  (then
                    (call $flush (local.get $out))
                    (global.set $stop (local.get $s))
                    (global.set $slowEnd (local.get $e))
                    (return (local.get $count))))
                (local.set $s (i32.add (local.get $e) (i32.const 1)))
                (br $lines)))
            (if (i64.eqz (local.get $lf))
              (then
                ;; Long line: generic path, hashed at once.
                (call $longTag (local.get $policy) (local.get $s) (local.get $e))
                (local.set $to)
                (local.set $from)
                (i32.store16 (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))) (call $crc (local.get $from) (local.get $to)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $s (i32.add (local.get $e) (i32.const 1)))
                (br $lines)))
            ;; The line's braces as bits 0..len-1 (len <= 63).
            (local.set $inLine (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $len))) (i64.const 1)))
            (local.set $open (i64.and (i64.shr_u (i64.load offset=5120 (local.get $off)) (local.get $sh)) (local.get $inLine)))
            (local.set $close (i64.and (i64.shr_u (i64.load offset=6144 (local.get $off)) (local.get $sh)) (local.get $inLine)))
            (if (local.get $policy)
              (then
                ;; Standard: the last } and the last { before it (none: -1 and 64 - 65 = -1, tag = 0).
                (local.set $lastClose (i32.sub (i32.const 63) (i32.wrap_i64 (i64.clz (local.get $close)))))
                (local.set $opens (i64.and (local.get $open)
                  (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $lastClose))) (i64.const 1))))
                (local.set $tag (i32.and (i64.ne (local.get $close) (i64.const 0)) (i64.ne (local.get $opens) (i64.const 0))))
                (local.set $from (select (i32.sub (i32.add (local.get $s) (i32.const 64)) (i32.wrap_i64 (i64.clz (local.get $opens))))
                  (local.get $s) (local.get $tag)))
                (local.set $to (select (i32.add (local.get $s) (local.get $lastClose)) (local.get $e) (local.get $tag))))
              (else
                ;; Redis: the first { and the first } after it, tag not empty. No { gives 64: the
                ;; shift count wraps to 0 but the test firstOpen + 1 < firstClose fails.
                (local.set $firstOpen (i32.wrap_i64 (i64.ctz (local.get $open))))
                (local.set $firstClose (i32.wrap_i64 (i64.ctz (i64.and (local.get $close)
                  (i64.shl (i64.const -2) (i64.extend_i32_u (local.get $firstOpen)))))))
                (local.set $tag (i32.and (i32.lt_u (i32.add (local.get $firstOpen) (i32.const 1)) (local.get $firstClose))
                  (i32.lt_u (local.get $firstClose) (i32.const 64))))
                (local.set $from (select (i32.add (local.get $s) (i32.add (local.get $firstOpen) (i32.const 1))) (local.get $s) (local.get $tag)))
                (local.set $to (select (i32.add (local.get $s) (local.get $firstClose)) (local.get $e) (local.get $tag)))))
            ;; Queue the key in class ceil(n / 8) (0..8): its end, and its output index next to the
            ;; number of bits before the key in its first word, 8 * (8 * class - n).
            (local.set $n (i32.sub (local.get $to) (local.get $from)))
            (local.set $cls (i32.shr_u (i32.add (local.get $n) (i32.const 7)) (i32.const 3)))
            (local.set $qa (i32.load offset=7168 (i32.shl (local.get $cls) (i32.const 2))))
            (i32.store (local.get $qa) (local.get $to))
            (i32.store offset=4 (local.get $qa)
              (i32.or (i32.shl (local.get $count) (i32.const 6))
                (i32.sub (i32.shl (local.get $cls) (i32.const 6)) (i32.shl (local.get $n) (i32.const 3)))))
            (i32.store offset=7168 (i32.shl (local.get $cls) (i32.const 2)) (i32.add (local.get $qa) (i32.const 8)))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $s (i32.add (local.get $e) (i32.const 1)))
            (br $lines)
          end
        end
        ;; Stage 3 for the window.
        (call $flush (local.get $out))
        (br $windows)
      end
    end
    (global.set $stop (local.get $end))
    (local.get $count))
)
