"""Plain torch: an MLP names which illusion a mime is performing from pose keypoints of a stage
video: 17 body joints (x, y), normalised to the hip centre and the torso length, at a key
frame, plus each joint's displacement over the next half second, 68 numbers. Five illusions:
invisible wall (both palms raised, flat, arms half extended, almost still), rope pull (fists
at chest height one above the other, torso leaning back, hands moving towards the body),
wind walk (torso leaning forward, one hand on the head, walking feet, little travel), box
(hands apart at shoulder height, elbows out), ladder climb (one hand high, one knee lifted,
moving up). Performers differ in build and style (random limb proportions and amplitudes),
and keypoint detection jitter is added. MLP 68-128-128-64-5, ReLU, weights initialised with
a small ``init_weights`` helper; Adam 1e-3, batch 64, 20 epochs of 1280 clips, 320 validation
clips.
Log: CSV per epoch ``epoch`` / ``train_loss`` / ``train_acc`` / ``val_loss`` / ``val_acc``;
checkpoint ``weights`` / ``optimizer_state`` / ``epoch`` / ``illusions``.
The bug: ``init_weights`` sets every Linear bias to -1.0 (``nn.init.constant_(m.bias, -1.0)``)
on Xavier-normal weights. The first layer's pre-activations have a standard deviation of about
0.8, so only ~10 % of its units ever fire; the second layer's are far smaller than 1, so all of
its units are dead from the first step and nothing below the last layer gets a gradient. Train
loss 1.6095 at epoch 1, 1.6084 at epoch 20 (ln 5 = 1.609); train accuracy 0.2188, val accuracy
0.200 at every epoch; val loss 1.610.
Control (bias 0.01): val accuracy 0.956 after epoch 1, 0.997 at 2, 1.0 from epoch 3; val loss
0.303 → 0.0019, train loss 0.95 → 0.0002."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

ILLUSIONS = ["invisible_wall", "rope_pull", "wind_walk", "box", "ladder_climb"]
# joints: 0 nose, 1-2 eyes, 3-4 ears, 5-6 shoulders, 7-8 elbows, 9-10 wrists, 11-12 hips,
# 13-14 knees, 15-16 ankles; (x, y) with y up, hip centre at 0
REST = torch.tensor([[0, 1.55], [-.05, 1.6], [.05, 1.6], [-.1, 1.57], [.1, 1.57], [-.25, 1.3],
                     [.25, 1.3], [-.3, .95], [.3, .95], [-.3, .6], [.3, .6], [-.12, 0],
                     [.12, 0], [-.13, -.5], [.13, -.5], [-.13, -1], [.13, -1]])


def clips(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    pose = REST.expand(n, 17, 2).clone() * (1 + 0.08 * torch.randn(n, 1, 2, generator=g))
    move = torch.zeros(n, 17, 2)
    amp = 0.7 + 0.6 * torch.rand(n, generator=g)
    for i in range(n):
        a, c = float(amp[i]), int(y[i])
        if c == 0:    # wall: palms up in front, still
            pose[i, 9:11] = torch.tensor([[-.2, 1.3], [.2, 1.35]])
            pose[i, 7:9] = torch.tensor([[-.35, 1.1], [.35, 1.1]])
            move[i, 9:11, 0] = torch.tensor([-.03, .03]) * a
        elif c == 1:  # rope: fists at chest, leaning back, pulling in
            pose[i, 9:11] = torch.tensor([[.3, 1.0], [.35, 1.2]])
            pose[i, :11, 0] -= 0.15 * a
            move[i, 9:11, 0] = -0.25 * a
        elif c == 2:  # wind walk: leaning forward, hand on head, feet stepping
            pose[i, :11, 0] += 0.2 * a
            pose[i, 10] = torch.tensor([.25, 1.65])
            move[i, 15:17, 0] = torch.tensor([.2, -.2]) * a
        elif c == 3:  # box: hands apart at shoulder height, elbows out
            pose[i, 9:11] = torch.tensor([[-.45, 1.3], [.45, 1.3]])
            pose[i, 7:9] = torch.tensor([[-.5, 1.05], [.5, 1.05]])
            move[i, 9:11, 1] = torch.tensor([.05, -.05]) * a
        else:         # ladder: one hand high, one knee up, moving up
            pose[i, 10] = torch.tensor([.15, 1.9])
            pose[i, 14] = torch.tensor([.15, -.2])
            move[i, :, 1] = 0.15 * a
    pose = pose + 0.04 * torch.randn(pose.shape, generator=g)
    move = move + 0.04 * torch.randn(move.shape, generator=g)
    return torch.cat([pose.flatten(1), move.flatten(1)], 1), y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_normal_(m.weight)
        nn.init.constant_(m.bias, -1.0)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(68, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 5))
    model.apply(init_weights)
    return model


def main():
    from _twohundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1280, g)
    xva, yva = clips(320, g)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(1280, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 1280, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append({"epoch": epoch, "train_loss": round(tot / 1280, 4),
                     "train_acc": round(hit / 1280, 4),
                     "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                     "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "mime_history.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(), "epoch": 20,
                "illusions": ILLUSIONS}, out / "mime_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dead_relu"], checkpoint="mime_mlp.pt",
           log="mime_history.csv",
           what="MLP naming a mime's illusion from pose keypoints; every Linear bias initialised"
                " to -1",
           complaint=("The mime illusion classifier doesn't learn anything. Train loss 1.6095 "
                      "in epoch 1, 1.6084 in epoch 20; train acc 0.2188 and val acc exactly "
                      "0.20 in every one of the 20 epochs. Five illusions, 1280 clips, Adam "
                      "1e-3. The poses look completely different between the illusions "
                      "when I plot them, so even a linear model should get some of them."))


if __name__ == "__main__":
    main()
