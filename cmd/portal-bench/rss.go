package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// rssSampler reads a process's resident set size periodically and keeps
// the peak.
type rssSampler struct {
	base int64
	peak int64
	quit chan struct{}
	wg   sync.WaitGroup
}

// startRSS takes the baseline of pid and samples it every interval until
// stop.
func startRSS(pid int, every time.Duration) *rssSampler {
	base, _ := readRSS(pid)
	s := &rssSampler{base: base, peak: base, quit: make(chan struct{})}
	s.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-t.C:
				if v, err := readRSS(pid); err == nil && v > s.peak {
					s.peak = v
				}
			}
		}
	})
	return s
}

// stop ends sampling and returns the baseline and the peak, in bytes.
func (s *rssSampler) stop() (base, peak int64) {
	close(s.quit)
	s.wg.Wait()
	return s.base, s.peak
}

// readRSS returns VmRSS of /proc/<pid>/status in bytes.
func readRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseVmRSS(b)
}

// parseVmRSS reads the VmRSS line ("VmRSS:	  12345 kB") of a status file.
func parseVmRSS(status []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmRSS:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			break
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, err
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("no VmRSS line")
}

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat
// (100 on Linux).
const clockTicks = 100

// readCPU returns the CPU time (user and system) pid has used so far.
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(b)
}

// parseStatCPU reads utime and stime (fields 14 and 15) of a stat file;
// the command name in parentheses may hold spaces.
func parseStatCPU(stat []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat")
	}
	f := bytes.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed stat")
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(string(s), 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}
