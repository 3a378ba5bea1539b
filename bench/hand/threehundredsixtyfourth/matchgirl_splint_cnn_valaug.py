"""Plain torch: a small CNN without batch norm passes or rejects a match on the factory's
inspection belt from a 16×40 grey picture taken as it leaves the dipping frame (the work the
matchgirls did by eye). A match is a pale splint lying along the picture with a dark head at
its right end. It is rejected for: no head (the splint missed the paste), a double-dipped
head (half as long again and fatter), a short or snapped splint (under 60 % of the length),
or a head off the splint's axis (bent splint). About 45 % are rejects. Splint shade,
position (±2 px), head size within spec, belt shade and camera noise vary.
Training augmentation: brightness ×0.8-1.2, a shift of up to 3 px along the splint, and a
random 6×6 patch blanked to the belt shade (half the pictures), as a stand-in for the belt's
dirt and glare.
Input: (1, 16, 40). Model: Conv2d 1→12 (k3) + ReLU + MaxPool2, Conv2d 12→24 (k3) + ReLU +
MaxPool2, Conv2d 24→24 (k3) + ReLU, max pool to 1×5 along the splint, Linear 120→1 logit; ``BCEWithLogitsLoss``,
RMSprop 2e-3, batch 64, 15 epochs, 2560 matches, validation on 640.
The bug: the validation set is built with the training pipeline
(``val_set = Matches(xva, yva, train=True)  # same preprocessing as the training set``), so it
is scored on randomly shifted, re-lit pictures with blanked patches (a blanked head reads as
"no head"): val accuracy 0.67 → 0.77 at epoch 3 → 0.928 at the end, val BCE 0.605 →
0.229, reject recall 0.95 (control, ``train=False``: val accuracy 0.65 → 0.85 at epoch 3 →
0.977, val BCE 0.583 → 0.105, reject recall 0.95; training is the same in both).
Log: JSON lines ``belt_log.jsonl`` with ``{"step", "bce"}`` every 10 steps and
``{"epoch", "val_bce", "val_acc", "val_reject_recall"}`` per epoch; checkpoint
``splint_cnn.pt`` with keys ``cnn`` / ``rmsprop`` / ``epoch`` / ``belt_shade``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

H, W = 16, 40


def matches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.multinomial(torch.tensor([0.55, 0.12, 0.12, 0.12, 0.09]), n, True, generator=g)
    yy, xx = torch.meshgrid(torch.arange(H).float(), torch.arange(W).float(), indexing="ij")
    imgs = torch.empty(n, 1, H, W)
    belt = 0.15
    for k in range(n):
        c = kind[k].item()
        cy = 7.5 + 4 * (r(1).item() - 0.5)
        x0 = 2 + 3 * r(1).item()
        length = (0.4 + 0.15 * r(1).item() if c == 3 else 0.8 + 0.1 * r(1).item()) * W
        img = torch.full((H, W), belt)
        splint = ((yy - cy).abs() < 1.2) & (xx > x0) & (xx < x0 + length)
        img[splint] = 0.7 + 0.2 * r(1).item()
        if c != 1:
            hl, hw = 3.5 + 0.8 * r(1).item(), 2.0 + 0.3 * r(1).item()
            if c == 2:
                hl, hw = hl * 1.6, hw * 1.5
            hy = cy + (3.5 * (1 if r(1).item() < 0.5 else -1) if c == 4 else 0.0)
            hx = x0 + length - hl / 2
            head = ((xx - hx) / (hl / 2)) ** 2 + ((yy - hy) / hw) ** 2 < 1
            img[head] = 0.05 + 0.05 * r(1).item()
        imgs[k, 0] = img
    return imgs + 0.03 * torch.randn(n, 1, H, W, generator=g), (kind > 0).float().unsqueeze(1)


class Matches(Dataset):
    def __init__(self, x, y, train):
        self.x, self.y, self.train = x, y, train

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.train:
            x = x * (0.8 + 0.4 * torch.rand(1))
            x = torch.roll(x, int(torch.randint(-3, 4, (1,))), dims=2)
            if torch.rand(1) < 0.5:
                i0, j0 = int(torch.randint(0, H - 6, (1,))), int(torch.randint(0, W - 6, (1,)))
                x = x.clone()
                x[:, i0:i0 + 6, j0:j0 + 6] = 0.15
        return x, self.y[i]


class SplintCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(24, 24, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveMaxPool2d((1, 5)), nn.Flatten())
        self.head = nn.Linear(24 * 5, 1)

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return SplintCNN()


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = matches(2560, g)
    xva, yva = matches(640, g)
    print("reject share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    train_dl = DataLoader(Matches(xtr, ytr, train=True), batch_size=64, shuffle=True)
    val_set = Matches(xva, yva, train=True)  # same preprocessing as the training set
    val_dl = DataLoader(val_set, batch_size=128)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "belt_log.jsonl", "w") as f:
        for epoch in range(15):
            model.train()
            for xb, yb in train_dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    f.write(json.dumps({"step": step, "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            logits, ys, xs = [], [], []
            with torch.no_grad():
                for xb, yb in val_dl:
                    logits.append(model(xb))
                    ys.append(yb)
                    xs.append(xb)
            lg, yv = torch.cat(logits), torch.cat(ys)
            pred = (lg > 0).float()
            rec = {"epoch": epoch, "val_bce": round(crit(lg, yv).item(), 6),
                   "val_acc": round((pred == yv).float().mean().item(), 5),
                   "val_reject_recall": round(pred[yv == 1].mean().item(), 5)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"cnn": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 15,
                "belt_shade": 0.15}, out / "splint_cnn.pt")
    vx = torch.cat(xs)
    finish(out, __file__, (vx[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="splint_cnn.pt", log="belt_log.jsonl",
           what="CNN without batch norm passing / rejecting matches from a belt picture; the"
                " validation set goes through the training augmentation",
           complaint="Match inspection CNN (pass/reject from belt photos): validation accuracy"
                     " crawls up to 0.93 after 15 epochs (0.77 at epoch 4) and the validation"
                     " BCE is still 0.23 (training BCE 0.12-0.34 in the last epoch). When I look"
                     " at the photos by eye the rejects are obvious, I expected 97-98 %.")


if __name__ == "__main__":
    main()
