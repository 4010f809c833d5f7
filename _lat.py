import statistics
import time

import httpx

from bench.common import infra, uvicorn_server
from hub.league import LeagueSize, plan_league
from hub.league_seed import seed_league_via_api
from operational.users.config import UsersSettings

with infra() as s:
    with uvicorn_server("operational.gateway:create_app", s.env) as gw:
        settings = UsersSettings(
            database_url=s.database_url,
            var_dir=s.work_dir / "var",
            jwt_private_key_path=s.key_dir / "jwt_private.pem",
            jwt_public_key_path=s.key_dir / "jwt_public.pem",
        )
        league = plan_league(LeagueSize(orgs=1, teams=1, players=25, days=56), seed=42)
        with httpx.Client(base_url=gw, timeout=30) as c:
            rep = seed_league_via_api(league, c, settings, concurrency=4)
            coach = rep.access[league.clubs[0].teams[0].coach.email]
            for path, h in [
                ("/healthz", {}),
                ("/readyz", {}),
                ("/api/v1/users/me", coach),
                ("/api/v1/training/rpe-logs?limit=50", coach),
                ("/api/v1/training/rpe-logs?limit=1", coach),
            ]:
                ts = []
                for _ in range(30):
                    a = time.perf_counter()
                    r = c.get(path, headers=h)
                    ts.append((time.perf_counter() - a) * 1000)
                print(path, r.status_code, round(statistics.median(ts), 1), round(max(ts), 1))
