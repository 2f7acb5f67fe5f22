#!/usr/bin/env bash
# The whole story with curl: sign up → log in → create a habit → set a goal → check in for three
# days → statistics → the home screen → refresh → log out → the logged-out refresh token refused.
#
# Usage:  ./examples/curl-walkthrough.sh                                 (http://localhost:3000)
#         BASE_URL=https://habits.example.com ./examples/curl-walkthrough.sh
#
# Needs bash, curl and node (node only reads fields out of the JSON replies, in place of jq).
# Every step prints its HTTP status; an unexpected status stops the script with exit code 1.
# Each run signs up a new user (a unique email), so it can be run again; mind the signup rate
# limit (SIGNUP_RATE_LIMIT_PER_IP, 10 per 15 minutes by default). Tokens and the password are
# never printed.
set -euo pipefail

BASE_URL="${BASE_URL:-http://localhost:3000}"
BASE_URL="${BASE_URL%/}"
EMAIL="curl-$(date +%s)-$RANDOM@example.com"
PASSWORD="walk-through-$RANDOM-$RANDOM"

BODY="$(mktemp)"
trap 'rm -f "$BODY"' EXIT
STEP=0

# step NAME EXPECTED_STATUS curl ARGS...
# Runs the curl command with the reply body saved in $BODY, prints "N. NAME: METHOD /path → STATUS",
# and stops the script when the status is not the expected one.
step() {
  local name=$1 expected=$2 method=GET path='' status
  shift 2
  local arg previous=''
  for arg in "$@"; do
    [[ $previous == -X ]] && method=$arg
    [[ $arg == "$BASE_URL"* ]] && path=${arg#"$BASE_URL"}
    previous=$arg
  done
  STEP=$((STEP + 1))
  if ! status=$("$@" --silent --show-error --output "$BODY" --write-out '%{http_code}'); then
    echo "Step $STEP ($name): could not reach $BASE_URL. Is the server running?" >&2
    exit 1
  fi
  echo "$STEP. $name: $method $path → $status"
  if [[ $status != "$expected" ]]; then
    # Anything shaped like a JWT is hidden before the body is shown.
    echo "Step $STEP ($name): expected HTTP $expected, got $status. Body:" >&2
    head -c 1000 "$BODY" | sed -E 's/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/[redacted token]/g' >&2
    echo >&2
    exit 1
  fi
}

# Reads the last reply; `get("user.id")` is one of its values (an error when it has none).
READ_REPLY='const body = JSON.parse(require("fs").readFileSync(0, "utf8"));
const get = (path) => { const value = path.split(".").reduce((o, k) => o?.[k], body);
  if (value === undefined) { console.error(`No ${path} in the reply`); process.exit(1); } return value; };'

# field PATH: one value of the last reply, e.g. `field user.id`.
field() {
  node -e "$READ_REPLY"' console.log(get(process.argv[1]))' "$1" <"$BODY"
}

# show TEXT: prints TEXT with every {path} in it replaced by that value of the last reply.
show() {
  node -e "$READ_REPLY"' console.log("   " + process.argv[1].replace(/\{([\w.]+)\}/g, (_, path) => get(path)))' "$1" <"$BODY"
}

# days_ago N: the UTC calendar day N days ago (GNU date, else BSD/macOS date).
days_ago() {
  date -u -d "$1 days ago" +%F 2>/dev/null || date -u -v-"$1"d +%F
}

echo "curl walk-through against $BASE_URL as $EMAIL"

step "Sign up" 201 \
  curl -X POST "$BASE_URL/auth/signup" -H 'Content-Type: application/json' --data @- <<JSON
{ "email": "$EMAIL", "password": "$PASSWORD", "name": "curl walk-through", "timezone": "UTC" }
JSON
show "user {user.email}, timezone {user.timezone}"

step "Log in" 200 \
  curl -X POST "$BASE_URL/auth/login" -H 'Content-Type: application/json' --data @- <<JSON
{ "email": "$EMAIL", "password": "$PASSWORD" }
JSON
ACCESS_TOKEN=$(field accessToken)
REFRESH_TOKEN=$(field refreshToken)
show "an access token (15 min) and a refresh token (7 days) for user {user.id}"

step "Create a habit" 201 \
  curl -X POST "$BASE_URL/habits" -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' --data @- <<JSON
{ "name": "Drink water", "kind": "numeric", "unit": "glasses", "icon": "💧", "color": "#1E90FF" }
JSON
HABIT_ID=$(field id)
show "habit {id}: {name}, {kind}, in {unit}"

step "Set a goal" 201 \
  curl -X PUT "$BASE_URL/habits/$HABIT_ID/goal" -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' --data @- <<JSON
{ "period": "day", "target": 8 }
JSON
show "target {target} per {period}"

for days in 2 1 0; do
  DAY=$(days_ago "$days")
  step "Check in $DAY" 201 \
    curl -X PUT "$BASE_URL/habits/$HABIT_ID/tracking/$DAY" -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' --data @- <<JSON
{ "value": $((8 + days)), "note": "$((8 + days)) glasses" }
JSON
  show "{date}: {value} glasses, {status}"
done

step "Statistics" 200 \
  curl "$BASE_URL/habits/$HABIT_ID/stats" -H "Authorization: Bearer $ACCESS_TOKEN"
show "currentStreak {currentStreak} ({streakUnit}s), bestStreak {bestStreak}, totalDone {totalDone}, completionRate {completionRate}"

step "Home screen" 200 \
  curl "$BASE_URL/today" -H "Authorization: Bearer $ACCESS_TOKEN"
show "{0.habit.name}: today {0.progress} of {0.goal.target}"

step "Refresh" 200 \
  curl -X POST "$BASE_URL/auth/refresh" -H 'Content-Type: application/json' --data @- <<JSON
{ "refreshToken": "$REFRESH_TOKEN" }
JSON
ACCESS_TOKEN=$(field accessToken)
REFRESH_TOKEN=$(field refreshToken)
echo "   a new pair for the same session; the old refresh token is rotated"

step "Log out" 204 \
  curl -X POST "$BASE_URL/auth/logout" -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' --data @- <<JSON
{ "refreshToken": "$REFRESH_TOKEN" }
JSON
echo "   the session is revoked"

# A revoked session's refresh tokens stop at once. (Its access tokens stop within 2 seconds: each
# instance may cache "this session is active" that long; the instance that revoked it, at once.)
step "Refresh after logout" 401 \
  curl -X POST "$BASE_URL/auth/refresh" -H 'Content-Type: application/json' --data @- <<JSON
{ "refreshToken": "$REFRESH_TOKEN" }
JSON
show "{message}"

echo "All $STEP steps passed"
