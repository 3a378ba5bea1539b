"""VoteNet-lite point voting: synthetic depth-sensor scans of a room corner (points in
millimetres, room origin 2–4 m from the sensor), each with one box-shaped object whose surface
points are sampled; every point votes for the object centre by predicting its offset (metres).
A PointNet-style shared MLP (Conv1d k1 with BatchNorm1d + ReLU, 3 layers, the BN standing in
for input standardisation of the raw millimetres), a max-pooled global feature concatenated
back per point, dropout 0.3, and an offset head; an objectness head says whether a point lies
on the object. Adam 1e-3, batch 16 scans, 8 epochs of 600 scans; a CSV log per epoch (epoch,
vote_loss, obj_loss, val_centre_err_m, val_obj_acc).
Bug: a "baseline" evaluation of the untrained model before the loop calls ``net.eval()``
and the loop never calls ``net.train()``: the BatchNorm layers normalise with their initial
running statistics (mean 0, var 1) instead of the batch's, so the raw millimetres pass
unnormalised and the dropout is off the whole run. Vote loss 22 → 0.22, val centre error 5.6 →
0.71 m (0.55–1.07 in the last epochs), objectness accuracy 0.82. Control (``net.train()`` at the
top of each epoch): vote loss 0.015, centre error 0.082 m, objectness 0.94."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

NP = 256


def scans(n, g):
    pts, off, obj, ctr = [], [], [], []
    for _ in range(n):
        origin = torch.tensor([2000.0, -500.0, 0.0]) + 2000 * torch.rand(3, generator=g) * torch.tensor([1.0, 0.5, 0.0])
        size = 300 + 700 * torch.rand(3, generator=g)
        c = origin + torch.tensor([400.0, 400.0, 0.0]) + 1200 * torch.rand(3, generator=g) * torch.tensor([1.0, 1.0, 0.0])
        c[2] = size[2] / 2
        n_obj = NP // 2
        u = torch.rand(n_obj, 3, generator=g) - 0.5
        face = torch.randint(0, 3, (n_obj,), generator=g)
        u[torch.arange(n_obj), face] = torch.sign(u[torch.arange(n_obj), face]) * 0.5
        p_obj = c + u * size
        fl = origin + torch.rand(NP - n_obj, 3, generator=g) * torch.tensor([2500.0, 2500.0, 0.0])
        wall = torch.rand(NP - n_obj, generator=g) < 0.3
        fl[wall, 2] = 2500 * torch.rand(int(wall.sum()), generator=g)
        fl[wall, 1] = origin[1]
        p = torch.cat([p_obj, fl]) + 8 * torch.randn(NP, 3, generator=g)
        is_obj = torch.cat([torch.ones(n_obj), torch.zeros(NP - n_obj)])
        pts.append(p)
        off.append((c - p) / 1000 * is_obj[:, None])
        obj.append(is_obj)
        ctr.append(c / 1000)
    return (torch.stack(pts).transpose(1, 2), torch.stack(off).transpose(1, 2),
            torch.stack(obj), torch.stack(ctr))


def mlp(i, o):
    return nn.Sequential(nn.Conv1d(i, o, 1), nn.BatchNorm1d(o), nn.ReLU())


class VoteNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.BatchNorm1d(3)
        self.local = nn.Sequential(mlp(3, 64), mlp(64, 64), mlp(64, 128))
        self.fuse = nn.Sequential(mlp(256, 128), nn.Dropout(0.3))
        self.vote = nn.Conv1d(128, 3, 1)
        self.objness = nn.Conv1d(128, 1, 1)

    def forward(self, pts_mm):
        f = self.local(self.inp(pts_mm))
        g = f.amax(2, keepdim=True).expand_as(f)
        h = self.fuse(torch.cat([f, g], 1))
        return self.vote(h), self.objness(h)[:, 0]


def build():
    torch.manual_seed(0)
    return VoteNetLite()


def evaluate(net, x, off, obj, ctr):
    net.eval()
    with torch.no_grad():
        v, o = net(x)
        m = obj[:, None]
        votes = (x / 1000 + v) * m
        centre = votes.sum(2) / m.sum(2)
        err = (centre - ctr).norm(dim=1).mean().item()
        acc = ((o > 0).float() == obj).float().mean().item()
    return err, acc


def main():
    from _ninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, off, obj, ctr = scans(700, g)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    print("baseline (untrained):", evaluate(net, x[600:], off[600:], obj[600:], ctr[600:]))
    f = open(out / "votes.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "vote_loss", "obj_loss", "val_centre_err_m", "val_obj_acc"])
    for ep in range(8):
        perm = torch.randperm(600, generator=g)
        sv = so = 0.0
        for i in range(0, 600, 16):
            b = perm[i:i + 16]
            v, o = net(x[b])
            lv = (F.smooth_l1_loss(v, off[b], reduction="none").sum(1) * obj[b]).sum() / obj[b].sum()
            lo = F.binary_cross_entropy_with_logits(o, obj[b])
            loss = lv + lo
            opt.zero_grad()
            loss.backward()
            opt.step()
            sv += lv.item() * len(b) / 600
            so += lo.item() * len(b) / 600
        err, acc = evaluate(net, x[600:], off[600:], obj[600:], ctr[600:])
        row = [ep, round(sv, 5), round(so, 4), round(err, 4), round(acc, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 8},
               out / "votenet_lite.pth")
    finish(out, __file__, (x[600:664], off[600:664]), causes=["train_in_eval_mode"],
           checkpoint="votenet_lite.pth", log="votes.csv",
           what="VoteNet-lite, net.eval() for a baseline eval before the loop, net.train() never called",
           complaint="My VoteNet-style point voting net trains but the vote centres are way off: after "
                     "8 epochs the validation centre error is still 0.71 m (it bounced between 0.55 and "
                     "1.07 m), objectness accuracy is only 0.82, and the first epoch's vote loss was 22. "
                     "The points are raw millimetres but the BatchNorm should take care of that.")


if __name__ == "__main__":
    main()
