"""Hugging Face Trainer: a tiny Qwen3.5 text classifier (``Qwen3_5TextConfig``: vocabulary 56,
hidden 32, 2 layers — one gated-delta-net linear-attention layer and one full-attention
layer —, 2 heads, 1 KV head, built from the config, no download) tells an opera role's voice
type (soprano, mezzo-soprano, tenor, baritone, bass) from a 32-note phrase of its part as
written in the vocal score, one token per note (MIDI pitch 36–84 → tokens 4–52, rest = 3,
breath mark = 2). The tessitura centres sit a fourth apart (MIDI 72, 67, 62, 57, 52); a phrase
wanders around its centre in steps and leaps with a few high or low excursions, so single
notes overlap between neighbouring voices and only the phrase as a whole decides; 4 % of the
labels are wrong (roles sung by the "wrong" voice). AdamW 3e-3, 10 warm-up steps then cosine,
batch 32, 5 epochs of 960 phrases, eval every 30 steps (once an epoch), loss every 5 steps.
Healthy: eval accuracy 0.879 after epoch 1 and then flat (0.855, 0.879, 0.859, 0.859: the
phrases of neighbouring voices overlap, close to what that overlap allows), while the eval loss
keeps falling 0.552 → 0.422 → 0.388 → 0.381 → 0.379; train loss 1.60 → 0.22–0.44 (noisy,
4 % wrong labels)."""
import torch
from transformers import (
    Qwen3_5TextConfig,
    Qwen3_5TextForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 56, 32
CENTRES = torch.tensor([72.0, 67.0, 62.0, 57.0, 52.0])
VOICES = ["soprano", "mezzo", "tenor", "baritone", "bass"]


def phrases(n, g, flip=0.0):
    y = torch.randint(0, 5, (n,), generator=g)
    c = CENTRES[y] + torch.randn(n, generator=g)
    steps = torch.randint(-2, 3, (n, T), generator=g).float()
    leaps = (torch.rand(n, T, generator=g) < 0.12).float() * torch.randint(
        -7, 8, (n, T), generator=g).float()
    p = torch.zeros(n, T)
    cur = c.clone()
    for t in range(T):
        cur = cur + steps[:, t] + leaps[:, t] + 0.25 * (c - cur)  # drifts back to the centre
        p[:, t] = cur
    x = (p.round().clamp(36, 84) - 32).long()
    rest = torch.rand(n, T, generator=g) < 0.08
    x = torch.where(rest, torch.full_like(x, 3), x)
    x[:, -1] = 2  # breath mark ends the phrase
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 5, (n,), generator=g)) % 5, y)
    return x, y


class Phrases(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Qwen3_5TextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                               num_hidden_layers=2, num_attention_heads=2,
                               num_key_value_heads=1, head_dim=16,
                               layer_types=["linear_attention", "full_attention"],
                               linear_num_key_heads=2, linear_num_value_heads=2,
                               linear_key_head_dim=16, linear_value_head_dim=16,
                               max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                               eos_token_id=2, num_labels=5,
                               id2label=dict(enumerate(VOICES)),
                               label2id={v: i for i, v in enumerate(VOICES)})
    return Qwen3_5TextForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = phrases(960, g, flip=0.04)
    xva, yva = phrases(256, g)
    args = TrainingArguments(str(out / "voices"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=5, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=75, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Phrases(xtr, ytr),
                      eval_dataset=Phrases(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "voices").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen3.5 opera voice-type classifier from score phrases, HF Trainer, 4 %"
                " noisy labels (healthy)")


if __name__ == "__main__":
    main()
