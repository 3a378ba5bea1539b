"""Hugging Face Trainer: a tiny Jamba (``JambaForSequenceClassification`` from a ``JambaConfig``:
hidden 32, 2 layers — a Mamba layer (state 8, conv 4, expand 2) then an attention layer with 2
query heads on 1 key/value head whose FFN is a 2-expert top-1 mixture of experts; built from
the config, no download, the reference PyTorch Mamba scan) sorts synthetic app-store reviews
into 3 teams (payments, crashes, account). A review is 10–24 tokens of filler words with 2–3
keywords of its team, and half of them also carry one keyword of another team; 6 % of the
labels are wrong. Right padding to 24 with an attention mask (the classifier reads the last real
token), AdamW 3e-3, weight decay 0.01, 8 warm-up steps then linear decay, batch 32, 4 epochs,
eval every 20 steps, train loss every 5 steps.
Healthy: eval accuracy 0.75 at step 20, 0.89–0.92 from step 40 (0.92 at the end, the wrong labels
and the cross-team keywords cap it), eval loss 0.33 at the end after a flat stretch (0.363 →
0.361 between steps 60 and 80); the train loss every 5 steps is noisy (0.21–0.40 in the last
40 steps)."""
import torch
from transformers import JambaConfig, JambaForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, BOS = 160, 24, 0, 2
QUEUES = 3


def reviews(n, g):
    keywords = torch.randperm(VOCAB - 40, generator=g)[:QUEUES * 8].view(QUEUES, 8) + 40
    y = torch.randint(0, QUEUES, (n,), generator=g)
    lengths = torch.randint(10, LEN + 1, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(2, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k + 1] + 1
        ids[i, pos[:k]] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
        if float(torch.rand(1, generator=g)) < 0.5:
            other = (y[i] + int(torch.randint(1, QUEUES, (1,), generator=g))) % QUEUES
            ids[i, pos[k]] = keywords[other, int(torch.randint(0, 8, (1,), generator=g))]
    ids[:, 0] = BOS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.06
    y = torch.where(flip, (y + torch.randint(1, QUEUES, (n,), generator=g)) % QUEUES, y)
    return ids * mask, mask, y


class Reviews(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = JambaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1,
                         attn_layer_period=2, attn_layer_offset=1, expert_layer_period=2,
                         expert_layer_offset=1, num_experts=2, num_experts_per_tok=1,
                         mamba_d_state=8, mamba_d_conv=4, mamba_expand=2, mamba_dt_rank=4,
                         use_mamba_kernels=False, max_position_embeddings=LEN,
                         pad_token_id=PAD, bos_token_id=BOS, eos_token_id=1,
                         num_labels=QUEUES)
    return JambaForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _eightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = reviews(1200, g)
    train = Reviews(ids[:960], mask[:960], y[:960])
    val = Reviews(ids[960:], mask[960:], y[960:])
    args = TrainingArguments(str(out / "reviews"), num_train_epochs=4, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=30, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "reviews").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[960:1024], "attention_mask": mask[960:1024],
                           "targets": y[960:1024]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Jamba (Mamba + attention + MoE) review router, HF Trainer, 6 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
