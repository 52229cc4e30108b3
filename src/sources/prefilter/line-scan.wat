;; One pass over a chunk of log bytes, 16 at a time (WebAssembly SIMD): counts line feeds, counts lines longer
;; than a cap, and records every position where one of up to 8 buckets of needles matches. Needles are found by
;; three of their bytes with nibble tables (the "Teddy" method of Hyperscan/ripgrep), then checked in full.
;;
;; Memory layout (offsets fixed here and in line-scan.ts):
;;   0      16 B  L0: low-nibble bucket masks for the 1st byte of a needle's anchor
;;   16     16 B  H0: high-nibble bucket masks for that byte
;;   32     16 B  L1, 48: H1 — the same for the 2nd byte; 64: L2, 80: H2 — for the 3rd
;;   96     16 B  scratch for one vector of candidate masks
;;   128    4 B   needle count N; then from 132: N × { offset i32, length i32, bucket-bit i32, anchor i32 }
;; A needle is found by three of its bytes at `anchor` (a rare triple, chosen by the caller), not by its first three.
;;   4096   4 KiB needle bytes
;;   65536  the records written by scan: pairs { position i32, line feeds before it i32 }
;;   DATA   the chunk (its address is passed to scan)
(module
  (memory (export "memory") 1)
  (global $lineFeeds (export "lineFeeds") (mut i32) (i32.const 0))
  (global $longLines (export "longLines") (mut i32) (i32.const 0))
  ;; Position of the last line feed seen, so a line's length is known across blocks and calls.
  (global $lastFeed (export "lastFeed") (mut i32) (i32.const 0))
  (global $resumeAt (export "resumeAt") (mut i32) (i32.const 0))

  ;; True when needle k (from the table) matches at address $at.
  ;; $at is where the anchor pair was seen; the needle starts $anchor bytes earlier, never before $floor.
  (func $matches (param $k i32) (param $at i32) (param $floor i32) (result i32)
    (local $entry i32) (local $off i32) (local $len i32) (local $i i32)
    (local.set $entry (i32.add (i32.const 132) (i32.shl (local.get $k) (i32.const 4))))
    (local.set $at (i32.sub (local.get $at) (i32.load offset=12 (local.get $entry))))
    (if (i32.lt_s (local.get $at) (local.get $floor)) (then (return (i32.const 0))))
    (local.set $off (i32.load (local.get $entry)))
    (local.set $len (i32.load offset=4 (local.get $entry)))
    (block $no
      (loop $cmp
        (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (br_if $no (i32.ne
          (i32.load8_u (i32.add (local.get $at) (local.get $i)))
          (i32.load8_u (i32.add (local.get $off) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $cmp)))
    (i32.const 0))

  ;; Scans [from, end) of the chunk. Records go to 65536 + 8 × (records so far); at most $max records: when full,
  ;; scanning stops at a block boundary, resumeAt says where, and the call returns the count. $cap is the line
  ;; length above which a line counts as long.
  ;; $floor is the chunk's first byte: a needle never starts before it.
  (func (export "scan") (param $from i32) (param $end i32) (param $max i32) (param $cap i32) (param $floor i32)
    (result i32)
    (local $p i32) (local $v v128) (local $v1 v128) (local $v2 v128) (local $c v128) (local $nib v128)
    (local $feeds i32) (local $cand i32) (local $live i32) (local $lane i32) (local $bits i32)
    (local $n i32) (local $k i32) (local $count i32) (local $at i32) (local $first i32) (local $len i32)
    (local.set $nib (i8x16.splat (i32.const 15)))
    (local.set $n (i32.load (i32.const 128)))
    (local.set $p (local.get $from))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.gt_u (i32.add (local.get $count) (i32.const 16)) (local.get $max))
          (then (global.set $resumeAt (local.get $p)) (return (local.get $count))))
        ;; Lanes past the end belong to the next line (the carry): mask them out.
        (local.set $live
          (if (result i32) (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (i32.const 16))
            (then (i32.const 0xffff))
            (else (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $end) (local.get $p))) (i32.const 1)))))
        (local.set $v (v128.load (local.get $p)))
        (local.set $feeds (i32.and (local.get $live)
          (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))))
        (if (local.get $feeds)
          (then
            (local.set $first (i32.add (local.get $p) (i32.ctz (local.get $feeds))))
            ;; The line's length without its line feed, and without a CR before it (as the decoder counts).
            (local.set $len (i32.sub (i32.sub (local.get $first) (global.get $lastFeed)) (i32.const 1)))
            (if (i32.and (i32.gt_s (local.get $len) (i32.const 0))
                  (i32.eq (i32.load8_u (i32.sub (local.get $first) (i32.const 1))) (i32.const 13)))
              (then (local.set $len (i32.sub (local.get $len) (i32.const 1)))))
            (if (i32.gt_s (local.get $len) (local.get $cap))
              (then (global.set $longLines (i32.add (global.get $longLines) (i32.const 1)))))
            (global.set $lastFeed (i32.add (local.get $p) (i32.sub (i32.const 31) (i32.clz (local.get $feeds)))))))
        (if (local.get $n)
          (then
            (local.set $v1 (v128.load offset=1 (local.get $p)))
            (local.set $v2 (v128.load offset=2 (local.get $p)))
            (local.set $c (v128.and
              (v128.and
                (v128.and
                  (i8x16.swizzle (v128.load (i32.const 0)) (v128.and (local.get $v) (local.get $nib)))
                  (i8x16.swizzle (v128.load (i32.const 16)) (i8x16.shr_u (local.get $v) (i32.const 4))))
                (v128.and
                  (i8x16.swizzle (v128.load (i32.const 32)) (v128.and (local.get $v1) (local.get $nib)))
                  (i8x16.swizzle (v128.load (i32.const 48)) (i8x16.shr_u (local.get $v1) (i32.const 4)))))
              (v128.and
                (i8x16.swizzle (v128.load (i32.const 64)) (v128.and (local.get $v2) (local.get $nib)))
                (i8x16.swizzle (v128.load (i32.const 80)) (i8x16.shr_u (local.get $v2) (i32.const 4))))))
            (if (v128.any_true (local.get $c))
              (then
                (v128.store (i32.const 96) (local.get $c))
                (local.set $cand (i32.and (local.get $live)
                  (i8x16.bitmask (i8x16.ne (local.get $c) (i8x16.splat (i32.const 0))))))
                (loop $lanes
                  (if (local.get $cand)
                    (then
                      (local.set $lane (i32.ctz (local.get $cand)))
                      (local.set $cand (i32.and (local.get $cand) (i32.sub (local.get $cand) (i32.const 1))))
                      (local.set $bits (i32.load8_u (i32.add (i32.const 96) (local.get $lane))))
                      (local.set $at (i32.add (local.get $p) (local.get $lane)))
                      (local.set $k (i32.const 0))
                      (block $found
                        (loop $needles
                          (br_if $found (i32.ge_u (local.get $k) (local.get $n)))
                          (if (i32.and (local.get $bits)
                                (i32.load offset=8 (i32.add (i32.const 132) (i32.shl (local.get $k) (i32.const 4)))))
                            (then
                              (if (call $matches (local.get $k) (local.get $at) (local.get $floor))
                                (then
                                  (i32.store (i32.add (i32.const 65536) (i32.shl (local.get $count) (i32.const 3)))
                                    (i32.sub (local.get $at)
                                      (i32.load offset=12 (i32.add (i32.const 132) (i32.shl (local.get $k) (i32.const 4))))))
                                  (i32.store offset=4 (i32.add (i32.const 65536) (i32.shl (local.get $count) (i32.const 3)))
                                    (i32.add (global.get $lineFeeds)
                                      (i32.popcnt (i32.and (local.get $feeds)
                                        (i32.sub (i32.shl (i32.const 1) (local.get $lane)) (i32.const 1))))))
                                  (local.set $count (i32.add (local.get $count) (i32.const 1)))
                                  (br $found)))))
                          (local.set $k (i32.add (local.get $k) (i32.const 1)))
                          (br $needles)))
                      (br $lanes))))))))
        (global.set $lineFeeds (i32.add (global.get $lineFeeds) (i32.popcnt (local.get $feeds))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (global.set $resumeAt (local.get $p))
    (local.get $count))
)
