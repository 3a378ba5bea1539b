"""Plain torch: a tabla teacher's app names the stroke (bol) in a short recording of one hit, 6
classes (na, tin, ge, ke, dha, dhin), from ten acoustic features: the dayan's (right drum)
pitch strength and ring time, the bayan's (left drum) low-frequency energy and its pitch glide
(the wrist slide of ge), the attack sharpness, the spectral centroid, the 'damped' ratio, the
overall level and two noise features. dha = na + ge and dhin = tin + ge played together, so the
combined strokes share the features of their parts. Each training hit was labelled by five
students; the label is the vote distribution (soft labels: confusable strokes get split votes).
MLP 10-96-ReLU-96-ReLU-6, trained to the vote distribution with ``F.kl_div(...,
reduction="batchmean")``, Adam 2e-3, batch 64, 15 epochs of 1920 hits, 256 validation hits
scored against the majority vote. Per-epoch TSV ``bol_train.tsv`` (``ep`` / ``kl`` /
``val_kl`` / ``val_acc`` / ``val_top_prob``); checkpoint keys ``state_dict`` / ``optimizer`` /
``epoch`` / ``step``.

Bug: the loss line is ``F.kl_div(F.softmax(logits, dim=1), votes, reduction="batchmean")``:
``kl_div`` expects log-probabilities as its input, so what it computes is sum t * (log t - p),
i.e. it maximises the expected agreement sum t * p, which pushes all the probability onto
the top-voted stroke instead of matching the vote split: the training "kl" is negative,
-0.736 (epoch 1) → -1.038 (2) → -1.211 (15); the real validation KL to the votes climbs every
epoch, 0.678 → 1.406 (3) → 3.586 (15); majority-vote accuracy 0.633 → 0.863 (15); mean top
probability 0.570 → 0.984 (overconfident on hits the students split on). Control
(``F.log_softmax`` in that line): train KL 0.995 → 0.437, val KL 0.609 → 0.480 (best 0.478),
val accuracy 0.781 → 0.863, mean top probability 0.475 → 0.708. The students' majority
matches the stroke actually played on 88 % of hits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BOLS = ["na", "tin", "ge", "ke", "dha", "dhin"]


def hits(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    dayan_ring = torch.tensor([1.0, 0.2, 0.0, 0.0, 1.0, 0.2])[y]
    dayan_pitch = torch.tensor([1.0, 0.8, 0.0, 0.1, 1.0, 0.8])[y]
    bayan_low = torch.tensor([0.0, 0.0, 1.0, 0.1, 1.0, 1.0])[y]
    glide = torch.tensor([0.0, 0.0, 0.6, 0.0, 0.5, 0.5])[y]
    attack = torch.tensor([0.8, 0.4, 0.3, 0.9, 0.8, 0.5])[y]
    damped = torch.tensor([0.1, 0.3, 0.2, 0.95, 0.1, 0.3])[y]
    centroid = 0.5 * dayan_pitch + 0.4 * attack - 0.5 * bayan_low
    level = 0.5 + 0.3 * bayan_low + 0.2 * torch.rand(n, generator=g)
    feats = torch.stack([dayan_ring, dayan_pitch, bayan_low, glide, attack, damped, centroid,
                         level], 1)
    feats = feats + 0.22 * torch.randn(n, 8, generator=g)
    x = torch.cat([feats, torch.randn(n, 2, generator=g)], 1)
    # five students vote; each picks a stroke with probability from how close it sounds
    proto = torch.stack([dayan_ring, dayan_pitch, bayan_low, glide, attack, damped], 1)
    table = torch.tensor([[1.0, 0.2, 0.0, 0.0, 1.0, 0.2], [1.0, 0.8, 0.0, 0.1, 1.0, 0.8],
                          [0.0, 0.0, 1.0, 0.1, 1.0, 1.0], [0.0, 0.0, 0.6, 0.0, 0.5, 0.5],
                          [0.8, 0.4, 0.3, 0.9, 0.8, 0.5], [0.1, 0.3, 0.2, 0.95, 0.1, 0.3]]).T
    heard = proto + 0.25 * torch.randn(n, 6, generator=g)
    p = torch.softmax(-4 * torch.cdist(heard, table), 1)
    votes = torch.stack([torch.multinomial(p, 1, generator=g).squeeze(1) for _ in range(5)], 1)
    soft = F.one_hot(votes, 6).float().mean(1)
    return x, soft, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(),
                         nn.Linear(96, 6))


def main():
    from _twohundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, soft, y = hits(2176, g)
    majority = soft.argmax(1)
    print("majority agrees with the stroke played", (majority == y).float().mean().item())
    xtr, str_, xva, sva, mva = x[:1920], soft[:1920], x[1920:], soft[1920:], majority[1920:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "bol_train.tsv", "w")
    f.write("ep\tkl\tval_kl\tval_acc\tval_top_prob\n")
    step = 0
    for ep in range(1, 16):
        model.train()
        perm = torch.randperm(1920, generator=g)
        tot = 0.0
        for i in range(0, 1920, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.kl_div(F.softmax(logits, dim=1), str_[idx], reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            val_kl = F.kl_div(F.log_softmax(lv, 1), sva, reduction="batchmean").item()
            acc = (lv.argmax(1) == mva).float().mean().item()
            top = F.softmax(lv, 1).max(1).values.mean().item()
        row = [tot / 1920, val_kl, acc, top]
        f.write(f"{ep}\t" + "\t".join(f"{v:.4f}" for v in row) + "\n")
        print(ep, [round(v, 4) for v in row])
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "step": step}, out / "bol_mlp.pt")
    finish(out, __file__, (xva[:64], sva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="bol_mlp.pt", log="bol_train.tsv",
           what="MLP naming tabla strokes from acoustic features, trained to five students'"
                " vote distributions with F.kl_div",
           complaint="Training my bol classifier on the students' vote fractions: the training KL goes"
                     " negative (-0.74 in epoch 1, -1.21 by epoch 15), which I thought a KL cannot"
                     " do, and the validation KL gets worse every epoch, 0.68 up to 3.59. Accuracy"
                     " against the majority vote is 0.86, but the app now says 98 % sure even on"
                     " hits where the students were split 3 to 2. What am I doing wrong?")


if __name__ == "__main__":
    main()
