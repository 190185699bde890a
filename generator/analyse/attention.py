"""What the office must chase today (the dashboard's 需要关注 lists), each list one rule over the tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator.analyse import projects as project_analysis
from generator.analyse.submissions import LATE, MISSING


@dataclass
class Attention:
    missing: pd.DataFrame  # returns not filed although due
    late: pd.DataFrame  # returns filed after the due date
    hazards: pd.DataFrame  # cases past their deadline today
    rects: pd.DataFrame  # rectifications past their deadline
    below: pd.DataFrame  # projects under way that miss the platform target (completed ones are not chased)
    gaps: pd.DataFrame  # projects and enterprises lacking a coordinator, 包保, notice board or 渝薪码


def attention(submissions: pd.DataFrame, cases: pd.DataFrame, rectifications: pd.DataFrame,
              projects: pd.DataFrame, coverage: pd.DataFrame) -> Attention:
    def where(df: pd.DataFrame, mask) -> pd.DataFrame:
        return df[mask] if len(df) else df

    return Attention(
        missing=where(submissions, lambda d: (d["status"] == MISSING) & d["due_passed"].astype(bool)),
        late=where(submissions, lambda d: d["status"] == LATE),
        hazards=where(cases, lambda d: d["overdue_now"].astype(bool)),
        rects=where(rectifications, lambda d: d["status"] == project_analysis.OVERDUE),
        below=project_analysis.below_target_active(projects),
        gaps=where(coverage, lambda d: ~d["complete"].astype(bool)),
    )
