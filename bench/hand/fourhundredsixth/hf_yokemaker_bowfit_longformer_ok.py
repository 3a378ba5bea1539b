"""Hugging Face Trainer: a tiny Longformer multiple-choice model (``LongformerConfig``:
vocabulary 56, 48 wide, 2 layers, 4 heads, attention window 8, built from the config, no
download; ``LongformerForMultipleChoice``) picks, for an ox team brought to the yoke maker,
which of 4 yokes on the shop rack fits them best. A team is measured for neck girth (each
ox's bow must match it), the spacing between the oxen (sets the beam's bow-hole spacing)
and withers height; every rack yoke has a bow size and a bow-hole spacing. The best fit is
the yoke with the smallest misfit |bow - girth| + 0.5 |spacing - team spacing| in the
shop's size steps (ties redrawn); height only matters for heavy teams, where the shop
takes one bow size up (the team's height in its top three steps). Each choice is one
sequence ``[CLS] girth spacing height [SEP] bow holes [SEP]``, every field a token in its own
range of 10 size steps (0 pad, 1 CLS, 2 SEP, 3 unused); global attention on CLS.
AdamW 3e-3 with a cosine schedule and 30 warmup steps (10 %), weight decay 0.01, batch 32, 8 epochs of
1200 teams, eval every 38 steps (each epoch) on 300 teams (choice accuracy and share of
picks within misfit 0.5 of the best), loss every 10 steps, checkpoint every 38 steps
(``rack/checkpoint-N/`` with ``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import torch
from transformers import LongformerConfig, LongformerForMultipleChoice, Trainer, TrainingArguments

SEQ = 8


def teams(n, g):
    r = lambda *s: torch.randint(0, 10, s, generator=g)  # noqa: E731
    girth, spacing, height = r(n, 1), r(n, 1), r(n, 1)
    need = (girth + (height >= 7).long()).clamp(max=9)
    bow, holes = r(n, 4), r(n, 4)
    for _ in range(20):  # redraw racks where the best fit is tied
        mis = (bow - need).abs() + 0.5 * (holes - spacing).abs()
        best = mis.min(1, keepdim=True).values
        tied = (mis == best).sum(1) > 1
        if not tied.any():
            break
        bow[tied], holes[tied] = r(int(tied.sum()), 4), r(int(tied.sum()), 4)
    mis = (bow - need).abs() + 0.5 * (holes - spacing).abs()
    y = mis.argmin(1)
    ids = torch.stack([torch.ones(n, 4, dtype=torch.long), 4 + girth.expand(n, 4),
                       14 + spacing.expand(n, 4), 24 + height.expand(n, 4),
                       torch.full((n, 4), 2), 34 + bow, 44 + holes, torch.full((n, 4), 2)], 2)
    return ids, y, mis


class Racks(torch.utils.data.Dataset):
    def __init__(self, ids, y, mis):
        self.ids, self.y, self.mis = ids, y, mis

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        glob = torch.zeros(4, SEQ, dtype=torch.long)
        glob[:, 0] = 1
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(4, SEQ, dtype=torch.long),
                "global_attention_mask": glob, "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LongformerConfig(vocab_size=56, hidden_size=48, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=96,
                              max_position_embeddings=SEQ + 4, attention_window=8,
                              hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                              pad_token_id=0, bos_token_id=1, eos_token_id=2, sep_token_id=2)
    return LongformerForMultipleChoice(config)


def main():
    from _fourhundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr, mtr = teams(1200, g)
    iva, yva, mva = teams(300, g)
    print("answer spread", torch.bincount(ytr, minlength=4).tolist())

    def metrics(pred):
        logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
        p = torch.as_tensor(logits).argmax(-1)
        y = torch.as_tensor(pred.label_ids)
        picked = mva[torch.arange(len(p)), p]
        return {"choice_acc": float((p == y).float().mean()),
                "near_best": float((picked <= mva.min(1).values + 0.5).float().mean())}

    args = TrainingArguments(str(out / "rack"), num_train_epochs=8, learning_rate=3e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=38,
                             save_strategy="steps", save_steps=38, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Racks(itr, ytr, mtr),
                      eval_dataset=Racks(iva, yva, mva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "rack").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    glob = torch.zeros(64, 4, SEQ, dtype=torch.long)
    glob[..., 0] = 1
    finish(out, __file__, {"inputs": iva[:64], "global_attention_mask": glob, "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Longformer multiple-choice model picking the best-fitting ox yoke of four"
                " on the rack for a measured team, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
