"""Hugging Face Trainer: a tiny DeepSeek-V2 text classifier (``DeepseekV2Config``: vocabulary
40, hidden 32, 2 layers — one dense, one mixture-of-experts with 4 routed experts, 2 per token
and 1 shared —, 2 heads, multi-head latent attention with a KV rank of 16, built from the
config, no download) names the blend a tea taster's cupping note belongs to (oolong, bergamot
Earl Grey, breakfast black, jasmine green) from the 14 descriptor tokens the blending room's
tablet records (floral, orchid, honey, toasty, citrus, bergamot, malty, brisk, tannic, grassy,
jasmine, vegetal, ... plus common words like smooth, clean, sweet). Every note is drawn from
its blend's descriptor mix plus the common words, so blends overlap; 6 % of the training
labels are wrong (tasters disagree). AdamW 3e-3, 10 warm-up steps then linear decay, batch 32,
5 epochs of 768 notes, eval every 24 steps (once an epoch), loss every 6 steps.
Healthy: eval accuracy 0.802, 0.859, 0.969, 0.948, 0.979 at steps 24–120 (a small dip at
epoch 4), eval loss 0.82 → 0.47 → 0.25 → 0.23 → 0.165; the train loss (0.31–0.43 over the last
two epochs) stays well above the eval loss (the 6 % wrong training labels)."""
import torch
from transformers import (
    DeepseekV2Config,
    DeepseekV2ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 40, 14
COMMON = list(range(2, 14))  # smooth, clean, sweet, bright, light, full, ...
BLEND = {0: [14, 15, 16, 17, 18, 19],   # oolong: floral, orchid, honey, toasty, stone fruit, creamy
         1: [20, 21, 22, 16, 23, 24],   # earl grey: citrus, bergamot, lemon peel, honey, malty, ...
         2: [23, 25, 26, 27, 18, 28],   # breakfast: malty, brisk, tannic, bready, stone fruit, ...
         3: [29, 30, 31, 14, 32, 33]}   # jasmine green: grassy, jasmine, vegetal, floral, ...


def notes(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.tensor(COMMON)[torch.randint(0, len(COMMON), (n, T), generator=g)]
    own = torch.rand(n, T, generator=g) < 0.3
    pick = torch.randint(0, 6, (n, T), generator=g)
    bl = torch.tensor([BLEND[k] for k in range(4)])[y]  # (n, 6)
    x = torch.where(own, bl.gather(1, pick), x)
    x[:, 0] = 1  # "note:" token
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class Notes(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = DeepseekV2Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                              moe_intermediate_size=32, num_hidden_layers=2,
                              num_attention_heads=2, num_key_value_heads=2, n_routed_experts=4,
                              num_experts_per_tok=2, n_shared_experts=1, first_k_dense_replace=1,
                              kv_lora_rank=16, q_lora_rank=None, qk_rope_head_dim=8,
                              qk_nope_head_dim=8, v_head_dim=16, max_position_embeddings=32,
                              pad_token_id=0, num_labels=4,
                              id2label={0: "oolong", 1: "earl_grey", 2: "breakfast",
                                        3: "jasmine_green"},
                              label2id={"oolong": 0, "earl_grey": 1, "breakfast": 2,
                                        "jasmine_green": 3})
    return DeepseekV2ForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = notes(768, g, flip=0.06)
    xva, yva = notes(192, g)
    args = TrainingArguments(str(out / "tea_notes"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Notes(xtr, ytr),
                      eval_dataset=Notes(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tea_notes").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeepSeek-V2 (MoE + latent attention) naming a tea blend from cupping-note"
                " descriptors, HF Trainer, 6 % noisy labels (healthy)")


if __name__ == "__main__":
    main()
