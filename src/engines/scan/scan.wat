;; Slots of every line of a key-list chunk, for the Redis (policy 0) and Standard (policy 1)
;; policies: SIMD scan for LF and braces, then CRC16-XMODEM eight bytes per step (slicing-by-8).
;; Same results as src/core/slots/scan.ts (the pure fallback); tests hold the two equal.
;;
;; Memory: [0, 4096) CRC tables G0..G7 (u16, G_k at k*512, written by the host): G_k[b] is the CRC
;; of byte b followed by k zero bytes. The host puts input and output above that.
(module
  (memory (export "memory") 1)
  ;; Where scan stopped: the end of the input, or the start of a line the host must read itself
  ;; (quoted, or ending in CR); for such a line, slowEnd is its end (the LF or the input end).
  (global $stop (export "stop") (mut i32) (i32.const 0))
  (global $slowEnd (export "slowEnd") (mut i32) (i32.const 0))

  (func $crc (param $i i32) (param $e i32) (result i32)
    (local $crc i32) (local $lo i32) (local $hi i32) (local $x i64)
    block $tail
      loop $by8
        (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $e)))
        (local.set $x (i64.load (local.get $i)))
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
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $by8)
      end
    end
    ;; The rest (0-7 bytes) in steps of 4, 2 and 1 with the same tables, for a shorter dependency chain.
    (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $e))
      (then
        (local.set $lo (i32.load (local.get $i)))
        (local.set $crc
          (i32.xor
            (i32.xor
              (i32.load16_u offset=1536 (i32.shl (i32.xor (i32.shr_u (local.get $crc) (i32.const 8)) (i32.and (local.get $lo) (i32.const 255))) (i32.const 1)))
              (i32.load16_u offset=1024 (i32.shl (i32.xor (i32.and (local.get $crc) (i32.const 255)) (i32.and (i32.shr_u (local.get $lo) (i32.const 8)) (i32.const 255))) (i32.const 1))))
            (i32.xor
              (i32.load16_u offset=512 (i32.shl (i32.and (i32.shr_u (local.get $lo) (i32.const 16)) (i32.const 255)) (i32.const 1)))
              (i32.load16_u (i32.shl (i32.shr_u (local.get $lo) (i32.const 24)) (i32.const 1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))))
    (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $e))
      (then
        (local.set $lo (i32.load16_u (local.get $i)))
        (local.set $crc
          (i32.xor
            (i32.load16_u offset=512 (i32.shl (i32.xor (i32.shr_u (local.get $crc) (i32.const 8)) (i32.and (local.get $lo) (i32.const 255))) (i32.const 1)))
            (i32.load16_u (i32.shl (i32.xor (i32.and (local.get $crc) (i32.const 255)) (i32.shr_u (local.get $lo) (i32.const 8))) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))))
    (if (i32.lt_u (local.get $i) (local.get $e))
      (then
        (local.set $crc
          (i32.xor
            (i32.and (i32.shl (local.get $crc) (i32.const 8)) (i32.const 65535))
            (i32.load16_u (i32.shl (i32.xor (i32.shr_u (local.get $crc) (i32.const 8)) (i32.load8_u (local.get $i))) (i32.const 1)))))))
    (i32.and (local.get $crc) (i32.const 16383)))

  ;; Writes one i16 slot per non-empty line of [pos, end) to out; returns how many. The input must
  ;; end with an LF (the host appends one) and 16 bytes past end must be readable. Stops early at a
  ;; line the host must read itself (quoted, or ending in CR).
  ;; Works block by block: each 16-byte block is loaded once, and every LF or brace in it is visited
  ;; through the bitmask, so one block often ends a key and starts the next.
  (func (export "scan") (param $policy i32) (param $pos i32) (param $end i32) (param $out i32) (result i32)
    (local $count i32) (local $start i32) (local $p i32) (local $q i32) (local $c i32) (local $mask i32)
    (local $firstOpen i32) (local $firstClose i32) (local $lastOpen i32) (local $tagOpen i32) (local $tagClose i32)
    (local $v v128) (local $from i32) (local $to i32) (local $isOpen i32) (local $isClose i32)
    (local.set $start (local.get $pos))
    (local.set $p (local.get $pos))
    (local.set $firstOpen (i32.const -1))
    (local.set $firstClose (i32.const -1))
    (local.set $lastOpen (i32.const -1))
    (local.set $tagOpen (i32.const -1))
    (local.set $tagClose (i32.const -1))
    block $exit
      loop $blocks
        (br_if $exit (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $mask
          (i8x16.bitmask
            (v128.or
              (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))
              (v128.or
                (i8x16.eq (local.get $v) (v128.const i8x16 123 123 123 123 123 123 123 123 123 123 123 123 123 123 123 123))
                (i8x16.eq (local.get $v) (v128.const i8x16 125 125 125 125 125 125 125 125 125 125 125 125 125 125 125 125))))))
        ;; The last block may reach past the input: ignore what lies beyond.
        (if (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 16))
          (then (local.set $mask (i32.and (local.get $mask) (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $end) (local.get $p))) (i32.const 1))))))
        block $blockDone
          loop $bits
            (br_if $blockDone (i32.eqz (local.get $mask)))
            (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $mask))))
            (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
            (local.set $c (i32.load8_u (local.get $q)))
            (if (i32.ne (local.get $c) (i32.const 10))
              (then
                ;; A brace, recorded without branches: { updates the open marks, } the close marks.
                (local.set $isOpen (i32.eq (local.get $c) (i32.const 123)))
                (local.set $isClose (i32.xor (local.get $isOpen) (i32.const 1)))
                (local.set $firstOpen (select (local.get $q) (local.get $firstOpen)
                  (i32.and (local.get $isOpen) (i32.lt_s (local.get $firstOpen) (i32.const 0)))))
                (local.set $lastOpen (select (local.get $q) (local.get $lastOpen) (local.get $isOpen)))
                (local.set $firstClose (select (local.get $q) (local.get $firstClose)
                  (i32.and (local.get $isClose)
                    (i32.and (i32.ge_s (local.get $firstOpen) (i32.const 0)) (i32.lt_s (local.get $firstClose) (i32.const 0))))))
                (local.set $tagOpen (select (local.get $lastOpen) (local.get $tagOpen) (local.get $isClose)))
                (local.set $tagClose (select (local.get $q) (local.get $tagClose) (local.get $isClose)))
                (br $bits)))
            ;; An LF: the line [start, q) is complete.
            block $next
              (br_if $next (i32.eq (local.get $q) (local.get $start)))
              (local.set $c (i32.load8_u (local.get $start)))
              (if (i32.or
                    (i32.eq (local.get $c) (i32.const 34))
                    (i32.eq (i32.load8_u (i32.sub (local.get $q) (i32.const 1))) (i32.const 13)))
                (then
                  ;; A blank CRLF line is skipped; anything else goes to the host.
                  (br_if $next (i32.and (i32.eq (local.get $q) (i32.add (local.get $start) (i32.const 1))) (i32.eq (local.get $c) (i32.const 13))))
                  (global.set $stop (local.get $start))
                  (global.set $slowEnd (local.get $q))
                  (return (local.get $count))))
              ;; Standard: last { before the last }. Redis: first { and the first } after it, if not empty.
              (local.set $from (local.get $start))
              (local.set $to (local.get $q))
              (if (local.get $policy)
                (then
                  (if (i32.ge_s (local.get $tagOpen) (i32.const 0))
                    (then
                      (local.set $from (i32.add (local.get $tagOpen) (i32.const 1)))
                      (local.set $to (local.get $tagClose)))))
                (else
                  (if (i32.gt_s (local.get $firstClose) (i32.add (local.get $firstOpen) (i32.const 1)))
                    (then
                      (local.set $from (i32.add (local.get $firstOpen) (i32.const 1)))
                      (local.set $to (local.get $firstClose))))))
              (i32.store16 (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1)))
                (call $crc (local.get $from) (local.get $to)))
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
            end
            (local.set $start (i32.add (local.get $q) (i32.const 1)))
            (local.set $firstOpen (i32.const -1))
            (local.set $firstClose (i32.const -1))
            (local.set $lastOpen (i32.const -1))
            (local.set $tagOpen (i32.const -1))
            (local.set $tagClose (i32.const -1))
            (br $bits)
          end
        end
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)
      end
    end
    (global.set $stop (local.get $end))
    (local.get $count))
)
