"""Plain torch: a koala hospital's admission model predicts whether an admitted koala will
be released back to the wild (binary) from 11 admission readings in their raw units: body
weight (kg), body condition score (1-5), estimated age (years), dehydration (%), rectal
temperature (°C), heart rate (bpm), ocular chlamydia score (0-3), urogenital chlamydia
score (0-3), car-strike / dog-attack flags and eucalyptus leaf
intake on the first day (g). Release odds fall with age, poor
condition, dehydration, fever, advanced chlamydia (worse when both sites are affected) and
trauma. No standardising: the net starts with ``BatchNorm1d(11)`` on the raw readings →
linear 64 + ReLU + dropout 0.4 → 64 + ReLU + dropout 0.4 → 1 logit. BCE with logits,
Adamax 4e-3, batch 24, 20 epochs, 360 admissions, validation on 400.
The bug: an untrained baseline is logged through ``evaluate()`` (which calls
``model.eval()``) before the loop, and the epoch loop never calls ``model.train()``: the
whole run trains in eval mode, the input batch norm stays at its initial running statistics
(mean 0, var 1, so the raw readings go in unscaled) and dropout is off: train BCE 1.22 → 0.34, val BCE 0.611 → 0.367, val acc 0.645 →
0.81 (0.84 at epoch 14), val pairwise ranking 0.75 → 0.954 (control, ``model.train()`` at the
top of each epoch: train BCE 0.63 → 0.23, val BCE 0.755 → 0.182, val acc 0.625 → 0.91,
ranking 0.918 → 0.981; both from the same baseline, val BCE 7.0).
Log: JSON lines ``admissions_log.jsonl``, one line per epoch (``epoch`` / ``train_bce`` /
``val_bce`` / ``val_acc`` / ``val_auc_proxy``), the baseline as epoch -1; checkpoint
``release_mlp.pth`` with keys ``net_state`` / ``opt_state`` / ``epochs_done`` /
``feature_names``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FEATURES = ["weight_kg", "bcs", "age_y", "dehydration_pct", "temp_c", "heart_bpm",
            "ocular_chlamydia", "urogenital_chlamydia", "car_strike", "dog_attack", "leaf_intake_g"]


def admissions(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 1 + 12 * r(n)
    bcs = (1 + 4 * r(n) - 0.1 * (age - 6).clamp(min=0)).round().clamp(1, 5)
    weight = 4 + 1.3 * bcs + 0.6 * torch.randn(n, generator=g)
    dehyd = 12 * r(n) ** 2
    ocu = (4 * r(n) ** 2).floor().clamp(max=3)
    uro = (4 * r(n) ** 1.5).floor().clamp(max=3)
    temp = 35.8 + 0.25 * (ocu + uro) + 0.4 * torch.randn(n, generator=g)
    heart = 110 + 4 * dehyd + 12 * torch.randn(n, generator=g)
    leaf = 420 - 25 * dehyd - 30 * (temp - 36).clamp(min=0) + 60 * torch.randn(n, generator=g)
    car = (r(n) < 0.2).float()
    dog = (r(n) < 0.1).float()
    z = (2.5 - 0.25 * (age - 6) + 0.7 * (bcs - 3) - 0.25 * dehyd + 0.0 - 1.4 * (temp - 36.5).clamp(min=0)
         - 0.5 * ocu - 0.6 * uro - 0.5 * ocu * uro - 1.8 * car - 1.4 * dog + 0.008 * (leaf - 300)
         + 0.5 * torch.randn(n, generator=g))
    y = (z > 0).float()
    x = torch.stack([weight, bcs, age, dehyd, temp, heart, ocu, uro, car, dog, leaf], 1)
    return x, y.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.BatchNorm1d(11),  # scales the raw readings for us
                         nn.Linear(11, 64), nn.ReLU(), nn.Dropout(0.4),
                         nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.4),
                         nn.Linear(64, 1))


def main():
    from _threehundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = admissions(360, g)
    xva, yva = admissions(400, g)
    print("released share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=24, shuffle=True)
    model = build()
    opt = torch.optim.Adamax(model.parameters(), lr=4e-3)

    def evaluate():
        model.eval()
        with torch.no_grad():
            logit = model(xva)
        pos, neg = logit[yva == 1], logit[yva == 0]
        return {"val_bce": F.binary_cross_entropy_with_logits(logit, yva).item(),
                "val_acc": ((logit > 0).float() == yva).float().mean().item(),
                "val_auc_proxy": (pos[:, None] > neg[None, :]).float().mean().item()}

    with open(out / "admissions_log.jsonl", "w") as log:
        log.write(json.dumps({"epoch": -1, "train_bce": None, **evaluate()}) + "\n")
        for epoch in range(20):
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            rec = {"epoch": epoch, "train_bce": round(tot / len(xtr), 5),
                   **{k: round(v, 5) for k, v in evaluate().items()}}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(), "epochs_done": 20,
                "feature_names": FEATURES}, out / "release_mlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="release_mlp.pth", log="admissions_log.jsonl",
           what="MLP with input batch norm and dropout predicting koala release from admission"
                " readings; the loop never switches back to train mode after the baseline eval",
           complaint="Our release model for the koala hospital learns very slowly and stalls:"
                     " after 20 epochs validation accuracy is only about 0.81 and it wobbles"
                     " from epoch to epoch, even though the vets can call most of these cases"
                     " on sight. More epochs barely help. The batch norm layer should take"
                     " care of the different units, so we are not sure what else to try.")


if __name__ == "__main__":
    main()
