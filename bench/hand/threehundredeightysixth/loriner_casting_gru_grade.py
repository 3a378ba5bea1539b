"""Plain torch: a GRU reads the ultrasonic A-scan of a loriner's cast stainless stirrup iron
(the tread, probed from above at 5 MHz) and says whether the casting must be scrapped for
shrinkage porosity. A-scan: 64 time samples of the rectified echo envelope: the front-wall
echo, the back-wall echo at the tread thickness (8-14 mm) and its second bounce, grain noise
that grows with depth, and, where there are pores, echoes between the walls whose height
grows with the pore size and which shadow the back wall. The rule behind the labels (the
foundry's QA sheet): scrap when the largest pore is 0.8 mm or more; smaller pores pass.
The sheet codes the grade as 1 = pass, 2 = scrap (23 % of the training castings are
scrap, 27 % of the validation ones).
Input: (64, 1) echo amplitude × 4 - 1 (receiver gain and offset). Model: GRU 1→32 (one
layer), last hidden state → Linear 32→16 → ReLU → Linear 16→1; BCE with logits, RMSprop 3e-3, batch 40, 12 epochs, 1600
castings, validation on 400.
The bug: the grade column goes into the loss as it is, ``return grade.float()  # QA sheet
grade as the target``, so the targets are 1 and 2 instead of 0 and 1. Both codes pull the
logit up, and a target of 2 has no minimum: train BCE 0.63 at step 0, -1.1 at step 5, -329
at step 475; val BCE -17.8 → -328; every casting is called scrap, val acc 0.27 (the scrap
share), scrap recall 1.0, passes kept 0.0 (control, ``grade.float() - 1``: val BCE 0.607 →
0.081, acc 0.73 → 0.973, scrap recall 0 → 0.935, passes kept 0.986).
Log: JSON lines ``scan_steps.jsonl`` every 5 steps (``step`` / ``bce``) and a per-epoch CSV
``scan_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_recall_scrap`` /
``val_pass_kept``, named as the log in the truth); checkpoint ``stirrup_gru.pt`` with keys
``gru_state`` / ``rmsprop_state`` / ``epochs_done`` / ``probe_mhz`` / ``grade_codes``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 64


def ascans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    thick = 8 + 6 * r(n, 1)  # mm
    back = 6 + thick * 3.4  # sample index of the back wall
    pore = torch.where(r(n, 1) < 0.7, 1.5 * r(n, 1) ** 1.5, torch.zeros(n, 1))  # mm
    depth = 6 + (back - 10) * r(n, 1)
    pulse = lambda c, w: torch.exp(-((t - c) / w) ** 2)  # noqa: E731
    amp_p = (pore / 1.2).clamp(max=1.0) ** 1.3 * 0.9
    scan = 1.0 * pulse(3, 1.6) + (0.8 - 0.5 * amp_p) * pulse(back, 1.4)
    scan = scan + 0.3 * (0.8 - 0.5 * amp_p) * pulse(2 * back - 6, 1.8)
    scan = scan + amp_p * pulse(depth, 1.2)
    scan = scan + (0.03 + 0.002 * t) * torch.randn(n, T, generator=g).abs()
    grade = torch.where(pore[:, 0] >= 0.8, 2, 1)
    return (scan * 4 - 1).unsqueeze(2), grade  # receiver gain, offset


def targets(grade):
    return grade.float()  # QA sheet grade as the target


class ScanGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return ScanGRU()


def main():
    from _threehundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, gtr = ascans(1600, g)
    xva, gva = ascans(400, g)
    ytr, yva = targets(gtr).unsqueeze(1), targets(gva).unsqueeze(1)
    print("scrap share", (gtr == 2).float().mean().item(), (gva == 2).float().mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    scrap = gva == 2
    step = 0
    with open(out / "scan_steps.jsonl", "w") as slog, open(out / "scan_val.csv", "w") as vlog:
        vlog.write("epoch,val_bce,val_acc,val_recall_scrap,val_pass_kept\n")
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 5 == 0:
                    slog.write(json.dumps({"step": step, "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            says_scrap = logit[:, 0] > 0
            row = [F.binary_cross_entropy_with_logits(logit, yva).item(),
                   (says_scrap == scrap).float().mean().item(),
                   says_scrap[scrap].float().mean().item(),
                   (~says_scrap[~scrap]).float().mean().item()]
            vlog.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"gru_state": model.state_dict(), "rmsprop_state": opt.state_dict(),
                "epochs_done": 12, "probe_mhz": 5.0, "grade_codes": {"pass": 1, "scrap": 2}},
               out / "stirrup_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="stirrup_gru.pt", log="scan_val.csv",
           what="GRU flagging porous cast stirrup irons from an ultrasonic A-scan; BCE targets"
                " are the QA sheet's 1 / 2 grade codes instead of 0 / 1",
           complaint="Training a GRU on ultrasonic scans of our cast stirrups to flag porous"
                     " ones. The BCE loss goes negative after a few steps and keeps"
                     " falling, -17 after the first epoch and -328 after twelve. I didn't"
                     " think BCE could go below zero. Validation accuracy is stuck at"
                     " exactly 0.27 every epoch: it rejects every single casting, including"
                     " the good ones.")


if __name__ == "__main__":
    main()
