"""Plain torch: an MLP names the gases in a stack-gas sample from an FTIR analyser's absorbance
spectrum (the Michelson interferometer's interferogram, Fourier-transformed by the analyser
firmware: 128 points, 900-3300 cm⁻¹, 2 m gas cell). Six gases are screened: NH3 (band near
965 cm⁻¹), H2O (1595), CO2 (2349), N2O (2224), CO (2143) and CH4 (3017, plus 1306); each is
in a sample with its own odds (H2O and CO2 nearly always) at a column density drawn
log-uniform over two decades. Bands are Gaussian envelopes of the P/R branches (two lobes
either side of the centre) with the band strength of each gas; a gas counts as present when its
peak absorbance passes 0.01, the analyser's reporting limit. Baseline tilt and offset from
window fouling, and noise 0.002.
Input: 128 absorbances × 10. Targets: 6 presence flags (multi-label). Model: MLP 128→128→64→6
(ReLU); per-gas binary cross-entropy written out by hand on sigmoid outputs, Adam 3e-3,
batch 128, 30 epochs, 3200 samples, validation on 640.
The bug: the loss is ``-(yb * torch.log(p) + (1 - yb) * torch.log(1 - p)).mean()`` on
``p = torch.sigmoid(logit)``; once the net is sure of a strong band the float32 sigmoid
rounds to exactly 1.0 (logit above about 17), ``log(1 - p)`` is -inf and ``0 * -inf`` is
nan. The loss turns nan between steps 50 and 55 (epoch 2), after 0.33 at step 50, and Adam
spreads nan into every weight: val loss nan and every gas called absent from epoch 2 on (flag
accuracy 0.581, exact match 0.016), after flag accuracy 0.87 at epoch 1 (control,
``F.binary_cross_entropy_with_logits(logit, yb)``: val BCE 0.485 → 0.051, flag accuracy
0.77 → 0.978, exact match 0.19 → 0.875).
Log: JSON lines, one per epoch, ``ftir_train.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_flag_acc`` / ``val_exact_match``) and one per 5 steps ``ftir_steps.jsonl`` (``step`` /
``loss``); checkpoint ``gas_mlp.pth`` with keys ``weights`` / ``adam_state`` / ``epoch`` /
``gases`` / ``wavenumbers`` / ``absorbance_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GASES = ["NH3", "H2O", "CO2", "N2O", "CO", "CH4"]
NU = torch.linspace(900.0, 3300.0, 128)
BANDS = [[(965, 35, 1.0)], [(1595, 70, 0.6)], [(2349, 30, 3.0)], [(2224, 28, 1.6)],
         [(2143, 32, 0.8)], [(3017, 45, 0.9), (1306, 30, 0.6)]]
ODDS = torch.tensor([0.3, 0.9, 0.85, 0.35, 0.4, 0.45])


def samples(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    here = r(n, 6) < ODDS
    col = here * 10 ** (-2.5 + 2 * r(n, 6))
    a = torch.zeros(n, 128)
    peak = torch.zeros(n, 6)
    for k, bands in enumerate(BANDS):
        shape = torch.zeros(128)
        for c, w, s in bands:
            shape = shape + s * (torch.exp(-((NU - c + 0.4 * w) / (0.35 * w)) ** 2)
                                 + torch.exp(-((NU - c - 0.4 * w) / (0.35 * w)) ** 2))
        a = a + col[:, k:k + 1] * shape
        peak[:, k] = col[:, k] * shape.max()
    a = a + 0.01 * r(n, 1) + 0.01 * (r(n, 1) - 0.5) * (NU - 2100) / 1200
    a = a + 0.002 * torch.randn(n, 128, generator=g)
    return 10 * a, (peak > 0.01).float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 6))


def main():
    from _threehundredtwentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = samples(3200, g)
    xva, yva = samples(640, g)
    print("present share", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "ftir_train.jsonl", "w") as fe, open(out / "ftir_steps.jsonl", "w") as fs:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                logit = model(xb)
                p = torch.sigmoid(logit)
                loss = -(yb * torch.log(p) + (1 - yb) * torch.log(1 - p)).mean()  # BCE per gas
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 5 == 0:
                    fs.write(json.dumps({"step": step, "loss": round(loss.item(), 6)}) + "\n")
                step += 1
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            flags = (logit > 0).float()
            row = {"epoch": epoch, "loss": tot / len(xtr),
                   "val_loss": F.binary_cross_entropy_with_logits(logit, yva).item(),
                   "val_flag_acc": (flags == yva).float().mean().item(),
                   "val_exact_match": (flags == yva).all(1).float().mean().item()}
            fe.write(json.dumps({k: round(v, 6) for k, v in row.items()}) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 30,
                "gases": GASES, "wavenumbers": NU, "absorbance_scale": 10.0},
               out / "gas_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="gas_mlp.pth", log="ftir_train.jsonl",
           what="MLP naming the gases in an FTIR absorbance spectrum (multi-label); binary"
                " cross-entropy written by hand as log(p) and log(1 - p) on sigmoid outputs",
           complaint="Training my FTIR gas classifier goes fine for about 50 steps (loss 0.56 down"
                     " to 0.33) and then the loss prints NaN and stays NaN for the rest of the"
                     " 30 epochs. After that the model reports no gas at all in any sample,"
                     " even CO2 which is in almost every one. Data has no NaNs in it, I checked.")


if __name__ == "__main__":
    main()
