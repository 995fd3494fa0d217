#!/bin/bash
# mxne batch as a Slurm job array: each array task solves its slice of the manifest (rows are
# assigned by a hash of their id, so the slices never overlap and cover every row). Rerunning the
# array resumes: rows with a done sidecar in OUT are skipped.
#
#   sbatch --array=0-9 examples/slurm-batch.sh cohort.csv results
#   mxne batch-collect results          # when every task has finished: merged tables, missing rows
#
# MXNE overrides the command (default: the mxne installed in the current project, via npx).
#SBATCH --job-name=mxne-batch
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=mxne-batch-%A_%a.log
set -euo pipefail

MANIFEST=${1:?usage: sbatch --array=0-N examples/slurm-batch.sh MANIFEST OUT}
OUT=${2:?usage: sbatch --array=0-N examples/slurm-batch.sh MANIFEST OUT}
read -r -a MXNE_CMD <<< "${MXNE:-npx --no-install mxne}"

# mxne reads its slice from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (or MIN/MAX) and says
# which it took; one worker per CPU Slurm gave the task, one BLAS thread each.
exec "${MXNE_CMD[@]}" batch "$MANIFEST" --out "$OUT" --jobs "${SLURM_CPUS_PER_TASK:-1}"
