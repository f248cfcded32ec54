// Command pause is the Pod sandbox's first process: it holds the Pod's namespaces open, reaps
// zombie children and exits cleanly on SIGINT/SIGTERM, as Kubernetes' own pause does
// (https://github.com/kubernetes/kubernetes/blob/master/build/pause/linux/pause.c).
// It is written in Go so that the local cluster builds it with the toolchain it already has.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if os.Getpid() != 1 {
		os.Stderr.WriteString("Warning: pause should be the first process\n")
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
