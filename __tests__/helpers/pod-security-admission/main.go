// Evaluates pod specs against the `restricted` Pod Security Standard with the upstream admission
// library (k8s.io/pod-security-admission, the code behind the PodSecurity admission controller).
// Input on stdin: a JSON object { "<label>": <PodSpec>, ... }. Output on stdout: a JSON object
// { "<label>": { "allowed": bool, "forbidden": "<the admission message>" }, ... }.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

type verdict struct {
	Allowed   bool   `json:"allowed"`
	Forbidden string `json:"forbidden"`
}

func main() {
	var pods map[string]json.RawMessage
	if err := json.NewDecoder(os.Stdin).Decode(&pods); err != nil {
		fail("stdin: %v", err)
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		fail("evaluator: %v", err)
	}
	restricted := api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}
	verdicts := map[string]verdict{}
	for label, raw := range pods {
		var spec corev1.PodSpec
		decoder := json.NewDecoder(bytes.NewReader(raw))
		decoder.DisallowUnknownFields() // a misspelt field would otherwise pass unseen
		if err := decoder.Decode(&spec); err != nil {
			fail("%s: %v", label, err)
		}
		result := policy.AggregateCheckResults(evaluator.EvaluatePod(restricted, &metav1.ObjectMeta{}, &spec))
		verdicts[label] = verdict{Allowed: result.Allowed, Forbidden: result.ForbiddenDetail()}
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		fail("stdout: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
